/*
 * test_xmlw.c: XML documents written with xmlw.c: text escaped (and what
 * XML 1.0 cannot carry dropped) exactly as libxml2's own writer would,
 * markup in CDATA sections, attributes, empty elements, and the results
 * read back by libxml2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "xmlw.h"

#define OUT_MAX (1u << 20)

/* Write <doc a="attr">text</doc>; return the document. */
static const char *
written(struct buf *out, struct arena *a, const char *attr, const char *text)
{
	struct xmlw x;

	assert_true(xmlw_open(&x, out, a));
	xmlw_start(&x, "doc");
	xmlw_attr(&x, "a", attr);
	xmlw_text(&x, text);
	xmlw_end(&x);
	assert_true(xmlw_close(&x));
	assert_true(buf_append(out, "", 1)); /* NUL, for the string checks */
	return out->data;
}

static void
test_text_escaped(void **state)
{
	struct arena a;
	struct buf out;
	const char *doc;

	(void)state;
	arena_init(&a, 4096);
	buf_init(&out, OUT_MAX);
	doc = written(&out, &a, "x\"<&>y",
	    "<p>Fish & chips</p> a > b\r\n\x01tab\there \xef\xbf\xbe end");
	assert_non_null(strstr(doc,
	    "<doc a=\"x&quot;&lt;&amp;&gt;y\">"
	    "&lt;p&gt;Fish &amp; chips&lt;/p&gt; "
	    "a &gt; b&#13;\ntab\there  end</doc>"));
	buf_free(&out);
	arena_free(&a);
}

static void
test_read_back(void **state)
{
	const char *text = "R\xc3\xa9sum\xc3\xa9 <b>&amp;</b> ]]> \"quoted\"";
	struct arena a;
	struct buf out;
	const char *doc;
	xmlDocPtr d;
	xmlChar *content;

	(void)state;
	arena_init(&a, 4096);
	buf_init(&out, OUT_MAX);
	doc = written(&out, &a, "", text);
	d = xmlReadMemory(doc, (int)strlen(doc), "t.xml", NULL,
	    XML_PARSE_NONET);
	assert_non_null(d);
	content = xmlNodeGetContent(xmlDocGetRootElement(d));
	assert_string_equal((const char *)content, text);
	xmlFree(content);
	xmlFreeDoc(d);
	buf_free(&out);
	arena_free(&a);
}

/* Markup in a CDATA section reads back as the same text, "]]>" and all. */
static void
test_cdata(void **state)
{
	const char *markup = "<p>a ]]> b &amp; <b>c</b>]]]></p>\x02";
	struct arena a;
	struct buf out;
	struct xmlw x;
	xmlDocPtr d;
	xmlChar *content;

	(void)state;
	arena_init(&a, 4096);
	buf_init(&out, OUT_MAX);
	assert_true(xmlw_open(&x, &out, &a));
	xmlw_start(&x, "content");
	xmlw_attr(&x, "type", "html");
	xmlw_cdata(&x, markup);
	xmlw_end(&x);
	assert_true(xmlw_close(&x));
	assert_true(buf_append(&out, "", 1));
	assert_non_null(strstr(out.data,
	    "<content type=\"html\"><![CDATA[<p>a "
	    "]]]]><![CDATA[> b"));
	d = xmlReadMemory(out.data, (int)strlen(out.data), "t.xml", NULL,
	    XML_PARSE_NONET);
	assert_non_null(d);
	content = xmlNodeGetContent(xmlDocGetRootElement(d));
	assert_string_equal((const char *)content,
	    "<p>a ]]> b &amp; <b>c</b>]]]></p>");
	xmlFree(content);
	xmlFreeDoc(d);
	buf_free(&out);
	arena_free(&a);
}

static void
test_empty_and_null(void **state)
{
	struct arena a;
	struct buf out;
	struct xmlw x;

	(void)state;
	arena_init(&a, 4096);
	buf_init(&out, OUT_MAX);
	assert_true(xmlw_open(&x, &out, &a));
	xmlw_start(&x, "feed");
	xmlw_elem(&x, "title", "");
	xmlw_elem(&x, "subtitle", NULL);
	xmlw_elem_attr(&x, "link", "href", "/a?b&c", NULL);
	xmlw_end(&x);
	assert_true(xmlw_close(&x));
	assert_true(buf_append(&out, "", 1));
	assert_non_null(strstr(out.data, "<title/>"));
	assert_non_null(strstr(out.data, "<subtitle/>"));
	assert_non_null(strstr(out.data, "<link href=\"/a?b&amp;c\"/>"));
	buf_free(&out);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escaped),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_cdata),
		cmocka_unit_test(test_empty_and_null),
	};
	int rc = cmocka_run_group_tests_name("xmlw", tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
