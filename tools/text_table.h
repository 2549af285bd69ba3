// Aligned text tables for the terminal: `Plain` (columns separated by two
// spaces, for settings) and `Grid` (psql's look, as PgBouncer's SHOW POOLS
// prints it, for statistics).
#pragma once

#include <string>
#include <vector>

namespace odbcpool::cli {

class TextTable {
 public:
  enum class Align { Left, Right };
  enum class Style { Plain, Grid };

  void add_column(std::string title, Align align = Align::Left);
  // As many cells as columns; missing cells are empty.
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // Every line ends with '\n'; `indent` spaces before each.
  std::string render(Style style, std::size_t indent = 0) const;

 private:
  struct Column {
    std::string title;
    Align align;
  };
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Terminal columns a UTF-8 string takes (one per code point).
std::size_t display_width(const std::string& text);

}  // namespace odbcpool::cli
