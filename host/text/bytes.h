// Amounts of memory for people: binary units, 3 significant digits. Pure.
#pragma once

#include <string>

namespace polyhost::text {

// 3 significant digits in the largest binary unit that keeps the number at least 1: 512 -> "512 B",
// 35651584 -> "34.0 MiB", 1.5 GiB -> "1.50 GiB". Negative amounts (memory given back) get a
// minus sign: "-1.20 MiB". Non-finite input gives "n/a".
std::string format_bytes(double bytes);

// "34.0 MiB [33.8–34.3]": the median as format_bytes, the bounds in its unit and decimals.
std::string format_bytes_with_ci(double median, double low, double high);

}  // namespace polyhost::text
