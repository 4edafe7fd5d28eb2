"""Technology demands (技术需求, M8.1, M8.4): enterprises post what they need, the center
moderates, the public demand hall lists them, units and brokers answer, and a demand closes as
met, withdrawn or expired."""
