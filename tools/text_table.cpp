#include "text_table.h"

#include <algorithm>

namespace odbcpool::cli {

namespace {

std::string pad(const std::string& text, std::size_t width, TextTable::Align align) {
  const std::size_t w = display_width(text);
  const std::string fill(w < width ? width - w : 0, ' ');
  return align == TextTable::Align::Left ? text + fill : fill + text;
}

std::string trim_right(std::string line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

void TextTable::add_column(std::string title, Align align) {
  columns_.push_back({std::move(title), align});
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render(Style style, std::size_t indent) const {
  std::vector<std::size_t> widths;
  for (const Column& c : columns_) widths.push_back(display_width(c.title));
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  const std::string margin(indent, ' ');
  const std::string separator = style == Style::Grid ? " | " : "  ";
  const auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string out = margin + (style == Style::Grid ? " " : "");
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) out += separator;
      // Titles follow their column's alignment, as psql does for numbers.
      const Align align = header && style == Style::Plain ? Align::Left : columns_[i].align;
      out += pad(cells[i], widths[i], align);
    }
    return trim_right(out) + '\n';
  };

  std::vector<std::string> titles;
  for (const Column& c : columns_) titles.push_back(c.title);
  std::string out = line(titles, true);
  if (style == Style::Grid) {
    std::string rule = margin;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      if (i > 0) rule += '+';
      rule += std::string(widths[i] + 2, '-');
    }
    out += rule + '\n';
  }
  for (const auto& row : rows_) out += line(row, false);
  return out;
}

}  // namespace odbcpool::cli
