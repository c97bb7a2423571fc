"""Administrative areas (province → RT, with Kemendagri codes) and the facility network."""
