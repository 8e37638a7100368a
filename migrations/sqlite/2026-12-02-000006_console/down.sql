DROP INDEX audit_log_by_subject;
DROP TABLE console_sessions;
