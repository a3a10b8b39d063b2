"""Activities: trainings and meetings, one code path."""
