"""Study: flashcards, progress per topic and the debate map."""
