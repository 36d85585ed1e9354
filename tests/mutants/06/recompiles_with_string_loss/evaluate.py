"""Compiles the model again inside evaluate, with the string loss (from_logits=False).

Expect: compile
"""


def evaluate(model, images, labels):
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    test_loss, test_acc = model.evaluate(images, labels, verbose=2)
    return float(test_loss), float(test_acc)
