// Unit tests for text on a terminal (host/text/layout, host/text/grid): display columns, cutting
// to one line, and escaping what a terminal would act on.
#include <locale.h>

#include <catch2/catch.hpp>

#include <string>

#include "host/text/grid.h"
#include "host/text/layout.h"
#include "tests/test_support.h"

namespace {

using namespace polyhost;

TEST_CASE("text layout: display_width counts terminal columns, not code points", "[text]") {
  CHECK(text::display_width("") == 0);
  CHECK(text::display_width("plain ascii") == 11);
  CHECK(text::display_width("\u6392\u5e8f") == 4);        // "排序": two wide CJK characters
  CHECK(text::display_width("\uff21\uff22") == 4);        // fullwidth "ＡＢ"
  CHECK(text::display_width("\U0001F680") == 2);          // an emoji, "🚀"
  CHECK(text::display_width("go \U0001F680!") == 6);
  CHECK(text::display_width("cafe\u0301") == 4);          // "é" as e and a combining acute
  CHECK(text::display_width("a\u200bb") == 2);            // a zero-width space
  CHECK(text::display_width("12.3 \u00b5s \u00b1 0.1") == 13);
  CHECK(text::display_width("\u2500\u2713\u2026\u00d7\u2014") == 5);  // what polyhost's own tables hold
  CHECK(text::display_width("a\x9b" "b") == 3);           // a byte that is not UTF-8: one column
  CHECK(text::pad_right("\u6392\u5e8f", 6) == "\u6392\u5e8f  ");
  CHECK(text::pad_left("\U0001F680", 3) == " \U0001F680");
  CHECK(text::pad_right("\u2713", 3) == "\u2713  ");
}

TEST_CASE("text layout: display_width leaves the thread's and the process's locale alone", "[text]") {
  const locale_t thread_before = uselocale(nullptr);
  const std::string global_before = setlocale(LC_CTYPE, nullptr);
  CHECK(text::display_width("\u6392") == 2);
  CHECK(uselocale(nullptr) == thread_before);
  CHECK(std::string(setlocale(LC_CTYPE, nullptr)) == global_before);
}

TEST_CASE("text layout: first_line cuts at display columns, never inside a character", "[text]") {
  const std::string sort_twice = "\u6392\u5e8f\u6392\u5e8f";  // 8 columns
  CHECK(text::first_line(sort_twice, 8) == sort_twice);
  CHECK(text::first_line(sort_twice, 7) == "\u6392\u5e8f\u6392\u2026");  // 6 columns and the ellipsis
  CHECK(text::first_line(sort_twice, 6) == "\u6392\u5e8f\u2026");        // a third would make 7
  CHECK(text::first_line("\U0001F680\U0001F680", 3) == "\U0001F680\u2026");
  CHECK(text::first_line("cafe\u0301s!", 5) == "cafe\u0301\u2026");      // the accent stays with its e
  CHECK(text::first_line("abcdef", 4) == "abc\u2026");
  CHECK(text::first_line("abcdef", 0) == "");
  CHECK(text::first_line("first\r\nsecond", 100) == "first");
  CHECK(text::first_line("\u00b5\u00b5\u00b5\u00b5", 3) == "\u00b5\u00b5\u2026");
}

TEST_CASE("text layout: escape_controls shows every byte outside valid UTF-8 as \\xNN", "[text]") {
  CHECK(text::escape_controls("a\x9b" "31mb") == "a\\x9b31mb");  // alone, 0x9B is CSI to an 8-bit terminal
  CHECK(text::escape_controls("\xff\xfe") == "\\xff\\xfe");
  CHECK(text::escape_controls("\x80" "x") == "\\x80x");                   // a continuation byte with no lead
  CHECK(text::escape_controls("x\xc3") == "x\\xc3");                      // a lead byte at the end
  CHECK(text::escape_controls("\xe6\x8e" "x") == "\\xe6\\x8ex");          // a three-byte sequence cut short
  CHECK(text::escape_controls("\xc2\x1b[31m") == "\\xc2\\x1b[31m");       // a lead byte before an ESC
  CHECK(text::escape_controls("\xc0\xaf") == "\\xc0\\xaf");               // overlong forms: "/" in two bytes,
  CHECK(text::escape_controls("\xc1\x9b") == "\\xc1\\x9b");               // ESC in two,
  CHECK(text::escape_controls("\xe0\x80\x9b") == "\\xe0\\x80\\x9b");      // in three
  CHECK(text::escape_controls("\xf0\x80\x80\x9b") == "\\xf0\\x80\\x80\\x9b");  // and in four bytes
  CHECK(text::escape_controls("\xed\xa0\x80") == "\\xed\\xa0\\x80");      // the surrogate U+D800
  CHECK(text::escape_controls("\xed\xbf\xbf") == "\\xed\\xbf\\xbf");      // the surrogate U+DFFF
  CHECK(text::escape_controls("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  CHECK(text::escape_controls("\xf5\x80\x80\x80") == "\\xf5\\x80\\x80\\x80");
  // Valid UTF-8 stays as it is, up to the edges of the ranges refused above; C1 controls stay escaped.
  const std::string valid = "\u6392\u5e8f \U0001F680 e\u0301 \u0080x \u07ff \u0800 \ud7ff \ue000 \U00010000 \U0010FFFF";
  CHECK(text::escape_controls(valid) == "\u6392\u5e8f \U0001F680 e\u0301 \\u0080x \u07ff \u0800 \ud7ff \ue000 \U00010000 \U0010FFFF");
  CHECK(text::escape_controls("\xc2\x9b") == "\\u009b");
}

TEST_CASE("text grid: wide, combining and non-UTF-8 names keep the columns aligned", "[text]") {
  text::Grid grid;
  grid.header = {"workload", "median"};
  grid.align = {text::Align::Left, text::Align::Right};
  grid.add_row({"\u6392\u5e8f", "1 ms"});  // 4 columns
  grid.add_row({"\U0001F680", "2 ms"});    // 2
  grid.add_row({"cafe\u0301", "3 ms"});    // 4
  grid.add_row({"a\x9b", "4 ms"});         // shown as a\x9b: 5
  const std::string table = polyhost::testing::render([&](std::ostream& out) { text::write_grid(grid, out, false); });
  const auto spaces = [](std::size_t n) { return std::string(n, ' '); };
  std::string rule;
  for (int i = 0; i < 8; ++i) rule += "\u2500";
  rule += "  ";
  for (int i = 0; i < 6; ++i) rule += "\u2500";
  CHECK(table == "workload  median\n" + rule + "\n" +
                     "\u6392\u5e8f" + spaces(8) + "1 ms\n" +
                     "\U0001F680" + spaces(10) + "2 ms\n" +
                     "cafe\u0301" + spaces(8) + "3 ms\n" +
                     "a\\x9b" + spaces(7) + "4 ms\n");
}

}  // namespace
