DROP TABLE quiz_attempts;
--bun:split
DROP TABLE lesson_progress;
--bun:split
DROP TABLE enrollments;
