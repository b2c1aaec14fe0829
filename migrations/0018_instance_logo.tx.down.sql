DROP TABLE instance_logo;
