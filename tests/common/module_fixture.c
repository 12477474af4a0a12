/* module_fixture.c - the module test_module opens: test_module_fixture.so,
 * built beside it. */
const int bc_fixture_answer = 42;
