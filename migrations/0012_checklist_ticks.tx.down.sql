DROP TABLE checklist_ticks;
