DROP TABLE course_packages;
