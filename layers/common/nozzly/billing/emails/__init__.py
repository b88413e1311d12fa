"""What the account owner's billing emails show."""
