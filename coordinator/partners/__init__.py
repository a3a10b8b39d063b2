"""The partner register: organisations, their contact persons and the steps taken with them."""
