DROP TABLE scrubs_owed;
