// First of all: the instrumentations patch the modules main.ts loads after this one.
import { startTracing } from '@subtasks/config/tracing';

startTracing('api');
