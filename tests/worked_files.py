"""Worked-example text shared by the checker's tests.

``NEURON`` is one sigmoid neuron with no bias, w = 0.6 and label y = 1, and the
squared-error loss, up to (not including) its ``[claims]`` table. By hand (mpmath
at 30 digits): y_hat = sigmoid(0.6) = 0.645656306..., L = (1 - y_hat)^2 / 2 =
0.0627797266..., dL/dw = -(1 - y_hat) y_hat (1 - y_hat) = -0.0810682528...
"""

NEURON = """title = "neuron"
[given]
w = "0.6"
y = 1
[define]
y_hat = "sigmoid(w)"
L = "(y - y_hat)**2 / 2"
"""
