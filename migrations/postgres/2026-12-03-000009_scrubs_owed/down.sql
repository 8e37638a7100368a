DROP FUNCTION endorse_note_rewritten();
DROP TABLE scrubs_owed;
