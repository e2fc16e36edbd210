/* unit.h — a tiny TAP-producing harness for the C unit tests.
 *
 * Each test is a function registered with TEST(name); CHECK(cond) records a
 * failure with file:line but keeps going.  main() comes from UNIT_MAIN().
 * Output is TAP ("ok N - name" / "not ok N - name"), counted by tests/run.
 */
#ifndef PK_UNIT_H
#define PK_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_case { const char *name; void (*fn)(void); };
extern int unit_failed_;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	unit_failed_ = 1; } } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { fprintf(stderr, "# %s:%d: %s == %lld, expected %lld\n", \
	__FILE__, __LINE__, #a, a_, b_); unit_failed_ = 1; } } while (0)
#define CHECK_EQ_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) { fprintf(stderr, \
	"# %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
	a_ ? a_ : "(null)", b_ ? b_ : "(null)"); unit_failed_ = 1; } } while (0)

#define UNIT_MAIN(...) \
	int unit_failed_; \
	int main(void) { \
		static const struct unit_case cases[] = { __VA_ARGS__ }; \
		size_t n = sizeof cases / sizeof cases[0], bad = 0; \
		printf("1..%zu\n", n); \
		for (size_t i = 0; i < n; i++) { \
			unit_failed_ = 0; cases[i].fn(); bad += unit_failed_; \
			printf("%sok %zu - %s\n", unit_failed_ ? "not " : "", i + 1, cases[i].name); \
		} \
		return bad ? 1 : 0; \
	}
#define U(fn) { #fn, fn }

#endif
