/*
 * arcrash.h - ktool's modes for the crash test (tests/crash/run.sh):
 * clerks posting customer invoices and receipts, and the check of what
 * they left.  See the top of arcrash.c.
 */
#ifndef KONTOR_TESTS_TOOL_ARCRASH_H
#define KONTOR_TESTS_TOOL_ARCRASH_H

/* Runs the mode argv[1] names: its exit status, or -1 when it is not
   one of these modes. */
int arcrash_main(int argc, char **argv);

#endif
