DROP TABLE intake_plans;
