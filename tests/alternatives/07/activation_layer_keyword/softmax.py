"""Sequential(layers=[...]) with Activation('softmax') instead of Softmax().
"""

import keras


def probability_model(model):
    return keras.Sequential(layers=[model, keras.layers.Activation("softmax")], name="probability_model")
