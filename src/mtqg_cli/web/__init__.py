"""The web application of ``mtqg serve``: units check and send their own returns, the officer follows them."""
