#include "properties.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "connect_config.h"
#include "connection_string.h"
#include "ini_files.h"
#include "setting_keys.h"

namespace odbcpool::setup {

namespace {

using Names = std::vector<std::string>;

Names split_multi_string(const std::string& buffer) {
  Names out;
  for (std::size_t pos = 0; pos < buffer.size() && buffer[pos] != '\0';) {
    const std::size_t end = buffer.find('\0', pos);
    out.push_back(buffer.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return out;
}

Names driver_names() {
  std::string buffer(65535, '\0');
  WORD used = 0;
  if (!SQLGetInstalledDrivers(buffer.data(), static_cast<WORD>(buffer.size()), &used)) return {};
  return split_multi_string(buffer.substr(0, used));
}

// Sections of the ini files that are neither DSNs nor drivers, and odbcpool
// itself, which makes no sense as its own target.
Names targets_only(Names names) {
  Names out;
  for (std::string& n : names) {
    if (!iequals(n, "ODBC") && !iequals(n, "ODBC Data Sources") && !iequals(n, kDriverSection)) {
      out.push_back(std::move(n));
    }
  }
  return out;
}

// The offers of a drop-down: the catalogue's choices, or for the target keys
// what is configured on this machine.
Names offers(const KeyInfo& key) {
  if (key.kind == KeyKind::Target) {
    return targets_only(iequals(key.name, "TargetDSN") ? configured_dsn_names() : driver_names());
  }
  return Names(key.choices.begin(), key.choices.end());
}

int prompt_type(const KeyInfo& key) {
  const std::string name = key.name;
  if (key.kind == KeyKind::Target) return ODBCINST_PROMPTTYPE_COMBOBOX;
  if (name.size() > 4 && name.compare(name.size() - 4, 4, "File") == 0) {
    return ODBCINST_PROMPTTYPE_FILENAME;
  }
  // Free text with named values (PoolResetStatement): offer them, accept SQL.
  if (key.kind == KeyKind::Text && !key.choices.empty()) return ODBCINST_PROMPTTYPE_COMBOBOX;
  if (!key.choices.empty()) return ODBCINST_PROMPTTYPE_LISTBOX;
  return ODBCINST_PROMPTTYPE_TEXTEDIT;
}

// A NULL-terminated array of pointers followed by the strings they point to,
// in one block.
char** prompt_data(const Names& names) {
  if (names.empty()) return nullptr;
  std::size_t bytes = (names.size() + 1) * sizeof(char*);
  for (const std::string& n : names) bytes += n.size() + 1;
  auto** array = static_cast<char**>(std::malloc(bytes));
  if (array == nullptr) throw std::bad_alloc();
  char* text = reinterpret_cast<char*>(array + names.size() + 1);
  for (std::size_t i = 0; i < names.size(); ++i) {
    array[i] = text;
    std::memcpy(text, names[i].c_str(), names[i].size() + 1);
    text += names[i].size() + 1;
  }
  array[names.size()] = nullptr;
  return array;
}

char* help_text(const KeyInfo& key) {
  const std::string help = std::string(key.help) + " Accepted: " + key.accepted + ".";
  char* copy = strdup(help.c_str());
  if (copy == nullptr) throw std::bad_alloc();
  return copy;
}

void copy_bounded(char* out, const char* text, std::size_t max) {
  std::strncpy(out, text, max);
  out[max] = '\0';
}

HODBCINSTPROPERTY make_property(const KeyInfo& key) {
  auto* p = static_cast<HODBCINSTPROPERTY>(std::calloc(1, sizeof(ODBCINSTPROPERTY)));
  if (p == nullptr) throw std::bad_alloc();
  try {
    copy_bounded(p->szName, key.name, INI_MAX_PROPERTY_NAME);
    copy_bounded(p->szValue, key.default_value, INI_MAX_PROPERTY_VALUE);
    p->nPromptType = prompt_type(key);
    p->pszHelp = help_text(key);
    p->aPromptData = prompt_data(offers(key));
  } catch (...) {
    std::free(p->pszHelp);
    std::free(p);
    throw;
  }
  return p;
}

}  // namespace

int append_properties(HODBCINSTPROPERTY list) {
  if (list == nullptr) return ODBCINST_ERROR;
  HODBCINSTPROPERTY last = list;
  while (last->pNext != nullptr) last = last->pNext;
  try {
    for (const KeyInfo& key : setting_keys()) {
      last->pNext = make_property(key);
      last = last->pNext;
    }
  } catch (const std::exception&) {
    // What was appended is complete and stays for odbcinst to free.
    return ODBCINST_ERROR;
  }
  return ODBCINST_SUCCESS;
}

}  // namespace odbcpool::setup
