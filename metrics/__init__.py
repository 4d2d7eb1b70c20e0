"""Pure calculations on small series (status against target, growth rates): no database, no Dash."""
