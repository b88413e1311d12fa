"""Operations tooling: what the deployed stack is watched with (monitoring.yaml) and how it is delivered."""
