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

TEST_CASE("text grid: wide and combining names keep the columns aligned", "[text]") {
  text::Grid grid;
  grid.header = {"workload", "median"};
  grid.align = {text::Align::Left, text::Align::Right};
  grid.add_row({"\u6392\u5e8f", "1 ms"});  // 4 columns
  grid.add_row({"\U0001F680", "2 ms"});    // 2
  grid.add_row({"cafe\u0301", "3 ms"});    // 4
  const std::string table = polyhost::testing::render([&](std::ostream& out) { text::write_grid(grid, out, false); });
  const auto spaces = [](std::size_t n) { return std::string(n, ' '); };
  std::string rule;
  for (int i = 0; i < 8; ++i) rule += "\u2500";
  rule += "  ";
  for (int i = 0; i < 6; ++i) rule += "\u2500";
  CHECK(table == "workload  median\n" + rule + "\n" +
                     "\u6392\u5e8f" + spaces(8) + "1 ms\n" +
                     "\U0001F680" + spaces(10) + "2 ms\n" +
                     "cafe\u0301" + spaces(8) + "3 ms\n");
}

}  // namespace
