"""model.fit with keyword arguments x= and y=, one line of output per epoch, shuffle said aloud."""


def train(model, images, labels, epochs=10, batch_size=32):
    return model.fit(
        x=images, y=labels, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=2
    )
