/* Licensed under the Apache License, Version 2.0 (see LICENSE). */
/* test_oa2_tmpl: HTML templates: placeholder checks, escaping at render. */
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "unit.h"
#include "oa2_tmpl.h"

static const char *const names[] = { "name", "frag", "a", "b", NULL };

static oa2_tmpl_t *tmpl(apr_pool_t *p, const char *text)
{
    oa2_tmpl_t *t = NULL;
    const char *why = "untouched";

    assert_int_equal(oa2_tmpl_parse(p, text, names, &t, &why), APR_SUCCESS);
    assert_non_null(t);
    assert_string_equal(why, "untouched");
    return t;
}

/* A refused template leaves *out alone and says why. */
static void tmpl_bad(apr_pool_t *p, const char *text, const char *reason)
{
    oa2_tmpl_t *t = NULL;
    const char *why = NULL;

    assert_int_equal(oa2_tmpl_parse(p, text, names, &t, &why), APR_EINVAL);
    assert_null(t);
    assert_non_null(why);
    assert_string_equal(why, reason);
}

/* Renders text with vars given as name, value, ..., NULL. */
static const char *render(apr_pool_t *p, const char *text, ...)
{
    apr_table_t *vars = apr_table_make(p, 4);
    const char *k;
    va_list ap;

    va_start(ap, text);
    while ((k = va_arg(ap, const char *)) != NULL) {
        apr_table_setn(vars, k, va_arg(ap, const char *));
    }
    va_end(ap);
    return oa2_tmpl_render(p, tmpl(p, text), vars);
}

static void test_parse_allowed(void **state)
{
    apr_pool_t *p = *state;

    tmpl(p, "<p>Hello {{name}}</p>{{{frag}}}");
    tmpl(p, "{{a}}{{b}}{{{a}}}{{{b}}}");
    tmpl(p, "no placeholders at all");
    assert_string_equal(render(p, "<p>Hello {{name}}!</p>", "name", "Bob",
                               NULL),
                        "<p>Hello Bob!</p>");
    /* each occurrence is filled */
    assert_string_equal(render(p, "{{name}}-{{name}}-{{{name}}}", "name",
                               "x", NULL),
                        "x-x-x");
}

/* A template is parsed once (at startup) and rendered many times. */
static void test_render_twice(void **state)
{
    apr_pool_t *p = *state;
    oa2_tmpl_t *t = tmpl(p, "[{{a}}]");
    apr_table_t *v1 = apr_table_make(p, 1), *v2 = apr_table_make(p, 1);

    apr_table_setn(v1, "a", "one");
    apr_table_setn(v2, "a", "<two>");
    assert_string_equal(oa2_tmpl_render(p, t, v1), "[one]");
    assert_string_equal(oa2_tmpl_render(p, t, v2), "[&lt;two&gt;]");
    assert_string_equal(oa2_tmpl_render(p, t, v1), "[one]");
}

static void test_unknown_placeholder(void **state)
{
    apr_pool_t *p = *state;

    tmpl_bad(p, "a {{nope}} b", "unknown placeholder {{nope}}");
    tmpl_bad(p, "{{{nope}}}", "unknown placeholder {{nope}}");
    /* the first unknown name is the one reported */
    tmpl_bad(p, "{{name}} {{x}} {{y}}", "unknown placeholder {{x}}");
    /* names are exact: no case folding, no trimming, no prefixes */
    tmpl_bad(p, "{{Name}}", "unknown placeholder {{Name}}");
    tmpl_bad(p, "{{ name }}", "unknown placeholder {{ name }}");
    tmpl_bad(p, "{{nam}}", "unknown placeholder {{nam}}");
    tmpl_bad(p, "{{names}}", "unknown placeholder {{names}}");
    tmpl_bad(p, "{{}}", "unknown placeholder {{}}");
    tmpl_bad(p, "{{{}}}", "unknown placeholder {{}}");
    /* a nested opening is part of the name, so the name is unknown */
    tmpl_bad(p, "{{a{{name}}", "unknown placeholder {{a{{name}}");
}

static void test_unterminated(void **state)
{
    apr_pool_t *p = *state;

    tmpl_bad(p, "{{", "unterminated placeholder");
    tmpl_bad(p, "{{{", "unterminated placeholder");
    tmpl_bad(p, "hello {{name", "unterminated placeholder");
    tmpl_bad(p, "hello {{name}", "unterminated placeholder");
    tmpl_bad(p, "hello {{{name", "unterminated placeholder");
    /* a raw placeholder needs three closing braces */
    tmpl_bad(p, "hello {{{name}}", "unterminated placeholder");
    tmpl_bad(p, "hello {{{name}} there", "unterminated placeholder");
    /* after a good one */
    tmpl_bad(p, "{{name}} {{frag", "unterminated placeholder");
    tmpl_bad(p, "{{{frag}}} {{{name}}", "unterminated placeholder");
}

static void test_escaped(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(render(p, "<a title=\"{{name}}\">{{name}}</a>",
                               "name", "a&b<c>d\"e'f", NULL),
                        "<a title=\"a&amp;b&lt;c&gt;d&quot;e&#39;f\">"
                        "a&amp;b&lt;c&gt;d&quot;e&#39;f</a>");
    assert_string_equal(render(p, "{{name}}", "name",
                               "<script>alert('x')</script>", NULL),
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    /* already-escaped text is escaped again: values are plain text */
    assert_string_equal(render(p, "{{name}}", "name", "&amp;", NULL),
                        "&amp;amp;");
    /* a value is not a template: its braces stay as they are */
    assert_string_equal(render(p, "{{name}}", "name", "{{frag}}", NULL),
                        "{{frag}}");
    assert_string_equal(render(p, "{{name}}", "name", "{{{frag}}}", "frag",
                               "<b>", NULL),
                        "{{{frag}}}");
    /* nothing else is touched */
    assert_string_equal(render(p, "{{name}}", "name", "Caf\xc3\xa9 /=?%",
                               NULL),
                        "Caf\xc3\xa9 /=?%");
}

static void test_raw(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(render(p, "<ul>{{{frag}}}</ul>", "frag",
                               "<li class=\"s\">a &amp; b</li>", NULL),
                        "<ul><li class=\"s\">a &amp; b</li></ul>");
    assert_string_equal(render(p, "{{{frag}}}", "frag", "&<>\"'", NULL),
                        "&<>\"'");
    /* the same name escaped and raw */
    assert_string_equal(render(p, "{{name}}|{{{name}}}", "name", "<i>",
                               NULL),
                        "&lt;i&gt;|<i>");
}

static void test_missing_values(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(render(p, "<p>Hello {{name}}, {{{frag}}}!</p>",
                               NULL),
                        "<p>Hello , !</p>");
    assert_string_equal(render(p, "[{{a}}][{{b}}]", "b", "B", NULL),
                        "[][B]");
    /* an empty value is the same as a missing one */
    assert_string_equal(render(p, "[{{a}}]", "a", "", NULL), "[]");
    assert_string_equal(render(p, "{{a}}{{{b}}}", NULL), "");
}

static void test_single_braces_literal(void **state)
{
    apr_pool_t *p = *state;
    const char *css = "<style>p { color: red; } a{b:c}</style>";
    const char *js = "function f() { return {x: {y: 1}}; } }} } {";

    assert_string_equal(render(p, css, NULL), css);
    assert_string_equal(render(p, js, NULL), js);
    assert_string_equal(render(p, "{x} { {name} } {", "name", "N", NULL),
                        "{x} { {name} } {");
    /* a single brace right before or after a placeholder stays */
    assert_string_equal(render(p, "{{{name}}}}", "name", "N", NULL), "N}");
    assert_string_equal(render(p, "{{name}}}", "name", "N", NULL), "N}");
    assert_string_equal(render(p, "}{{name}}{", "name", "N", NULL), "}N{");
}

static void test_adjacent(void **state)
{
    apr_pool_t *p = *state;

    assert_string_equal(render(p, "{{a}}{{b}}{{{frag}}}{{a}}", "a", "1&",
                               "b", "2", "frag", "<3>", NULL),
                        "1&amp;2<3>1&amp;");
    assert_string_equal(render(p, "{{{a}}}{{{b}}}", "a", "<", "b", ">",
                               NULL),
                        "<>");
    assert_string_equal(render(p, "x{{a}}y{{b}}z", "a", "A", "b", "B", NULL),
                        "xAyBz");
}

static void test_empty(void **state)
{
    apr_pool_t *p = *state;
    const char *out = render(p, "", "a", "A", NULL);

    assert_non_null(out);
    assert_string_equal(out, "");
    assert_string_equal(render(p, "plain text", "a", "A", NULL),
                        "plain text");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        UNIT_TEST(test_parse_allowed),
        UNIT_TEST(test_render_twice),
        UNIT_TEST(test_unknown_placeholder),
        UNIT_TEST(test_unterminated),
        UNIT_TEST(test_escaped),
        UNIT_TEST(test_raw),
        UNIT_TEST(test_missing_values),
        UNIT_TEST(test_single_braces_literal),
        UNIT_TEST(test_adjacent),
        UNIT_TEST(test_empty),
    };

    return UNIT_RUN(tests);
}
