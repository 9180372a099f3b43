"""Progressive face SR with the facial attention loss (Kim et al. 2019, paper 003): model, training, evaluation, export."""
