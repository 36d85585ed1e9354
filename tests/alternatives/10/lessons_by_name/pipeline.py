"""The same pipeline with each lesson given a name first, predict_one() for the first image, os.path."""

import os
import shutil
import tempfile

from kata import lesson


def run(epochs=10, out_dir=None):
    load, normalize, build = lesson(1), lesson(2), lesson(3)
    compile_, fit, evaluate = lesson(4), lesson(5), lesson(6)
    softmax, predict, save = lesson(7), lesson(8), lesson(9)

    (x_train, y_train), (x_test, y_test) = load.load_data()
    x_train, x_test = normalize.normalize(x_train), normalize.normalize(x_test)

    model = build.build_model()
    compile_.compile_model(model)
    fit.train(model, x_train, y_train, epochs, 32)
    results = evaluate.evaluate(model, x_test, y_test)
    accuracy = results[1]

    label, confidence = predict.predict_one(softmax.probability_model(model), x_test[0])
    print("first test image:", load.CLASS_NAMES[label], round(confidence, 2))

    folder = out_dir if out_dir is not None else tempfile.mkdtemp()
    try:
        save.save_model(model, os.path.join(folder, "model.keras"))
    finally:
        if out_dir is None:
            shutil.rmtree(folder)
    return accuracy
