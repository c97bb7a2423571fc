"""Life-cycle services: encounters with observations, immunisations, screenings and supplies;
posyandu sessions; follow-up and home-visit tasks; work lists of who is due or overdue."""
