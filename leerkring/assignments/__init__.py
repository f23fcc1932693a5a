"""Fieldwork assignments (praktijkopdrachten): lecturers set assignments for a cohort of students
who do fieldwork in the Werkplaatsen' circles; students hand in, lecturers give feedback.

Built so far: the models and where a student stands (``status``); the pages follow."""
