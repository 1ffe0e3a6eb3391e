"""SSH signatures: their format, and ssh-keygen that makes and checks them."""
