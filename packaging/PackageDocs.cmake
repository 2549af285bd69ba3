# The licence and the changelog each live in one file here; the formats each
# package expects are derived from them at configure time.

# Writes <out> as a machine-readable Debian copyright file (DEP-5) whose
# licence text is <license_file>.
function(odbcpool_write_debian_copyright license_file out)
  file(STRINGS ${license_file} lines)
  list(POP_FRONT lines title)  # "MIT License"
  set(text "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^Copyright \\(c\\) (.*)$")
      set(holder "${CMAKE_MATCH_1}")
    elseif(line STREQUAL "")
      string(APPEND text " .\n")
    else()
      string(APPEND text " ${line}\n")
    endif()
  endforeach()
  string(REGEX REPLACE "^ \\.\n( \\.\n)*" "" text "${text}")
  file(WRITE ${out}
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "Upstream-Name: ${PROJECT_NAME}\n"
    "\n"
    "Files: *\n"
    "Copyright: ${holder}\n"
    "License: Expat\n"
    "\n"
    "License: Expat\n"
    "${text}")
endfunction()

# Reads the Debian-format <changelog>, fails unless its newest entry is
# <version> (so a release cannot go out without one), and writes the same
# entries in RPM %changelog format to <rpm_out>, the newest as
# <version>-<release>, older ones as release 1.
function(odbcpool_convert_changelog changelog version release rpm_out)
  file(STRINGS ${changelog} lines)
  set(rpm "")
  set(first_version "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[a-z0-9.+-]+ \\(([^)]+)\\) ")
      set(entry_version "${CMAKE_MATCH_1}")
      if(first_version STREQUAL "")
        set(first_version "${entry_version}")
        string(APPEND entry_version "-${release}")
      else()
        string(APPEND entry_version "-1")
      endif()
      set(items "")
    elseif(line MATCHES "^  \\* (.*)$")
      string(APPEND items "- ${CMAKE_MATCH_1}\n")
    elseif(line MATCHES "^    (.*)$")
      string(APPEND items "  ${CMAKE_MATCH_1}\n")
    elseif(line MATCHES "^ -- (.+ <[^>]+>)  ([A-Z][a-z][a-z]), ([0-9]+) ([A-Z][a-z][a-z]) ([0-9]+) ")
      # " -- Name <mail>  Sun, 22 Nov 2026 00:00:00 +0000" -> "* Sun Nov 22 2026 Name <mail> - 0.1.0"
      string(APPEND rpm "* ${CMAKE_MATCH_2} ${CMAKE_MATCH_4} ${CMAKE_MATCH_3} ${CMAKE_MATCH_5}"
                        " ${CMAKE_MATCH_1} - ${entry_version}\n${items}\n")
    endif()
  endforeach()
  if(NOT first_version STREQUAL version)
    message(FATAL_ERROR "${changelog}: the newest entry is '${first_version}' but the "
      "project version is '${version}'. Add an entry for ${version} (dch -v ${version}).")
  endif()
  file(WRITE ${rpm_out} "${rpm}")
endfunction()
