# The last install rule (packaging/ is the last directory the top level
# adds, and install rules run in the order they were declared). It runs after
# setup/ and tools/ have installed the setup library and the odbcpool command
# with their own rules, and looks at what was actually installed, so that the
# odbcinst template never names a Setup library the package lacks, and never
# omits one it has, whatever those directories call their targets.
#
# Set by the install(CODE) before it (configure-time values):
#   odbcpool_format         DEB or RPM
#   odbcpool_odbc_dir       absolute ODBC directory on the target system
#   odbcpool_odbc_libdir    the same, relative to the prefix (or absolute)
#   odbcpool_bindir         the bin directory, relative to the prefix
#   odbcpool_mandir         the manual directory, relative to the prefix
#   odbcpool_share_dir      /usr/share/odbcpool, relative to the prefix
#   odbcpool_driver_name    odbcpool, the section name in odbcinst.ini
#   odbcpool_driver_file    libodbcpool.so
#   odbcpool_template_path  where the template is installed, absolute
#   odbcpool_template_in    odbcinst.ini.template.in
#   odbcpool_manual_source  the command's manual page in the source tree
#   odbcpool_work_dir       a directory of the build tree to write into
#   odbcpool_gzip           gzip
#   odbcpool_strip          strip

# Where an installed file is right now: under DESTDIR when it is set (cpack,
# `make install DESTDIR=...`), the prefix being the one of the target system.
function(odbcpool_staged out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "$ENV{DESTDIR}${dir}" PARENT_SCOPE)
  else()
    set(${out} "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

odbcpool_staged(staged_odbc_dir "${odbcpool_odbc_libdir}")
odbcpool_staged(staged_bindir "${odbcpool_bindir}")
odbcpool_staged(staged_mandir "${odbcpool_mandir}")
set(setup_file libodbcpoolS.so) # the name DESIGN.md gives it

# Shared libraries are 0644 on Debian (policy 10.9, dh_fixperms) and 0755 on
# RPM distributions (rpmlint: shared-library-not-executable), whoever
# installed them.
if(odbcpool_format STREQUAL "DEB")
  set(library_mode 644)
else()
  set(library_mode 755)
endif()
foreach(library IN ITEMS ${odbcpool_driver_file} ${setup_file})
  if(EXISTS "${staged_odbc_dir}/${library}")
    execute_process(COMMAND chmod ${library_mode} "${staged_odbc_dir}/${library}"
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()
endforeach()

# A stripped install (cpack strips) also drops .comment, the compiler's
# version strings that the C runtime's objects bring in, as dh_strip does.
if(CMAKE_INSTALL_DO_STRIP AND odbcpool_strip)
  foreach(binary IN ITEMS "${staged_odbc_dir}/${odbcpool_driver_file}"
                          "${staged_odbc_dir}/${setup_file}" "${staged_bindir}/odbcpool")
    if(EXISTS "${binary}")
      execute_process(COMMAND "${odbcpool_strip}" --remove-section=.comment "${binary}"
                      COMMAND_ERROR_IS_FATAL ANY)
    endif()
  endforeach()
endif()

# The registration template: the library paths of the target system.
set(ODBCPOOL_DRIVER_PATH "${odbcpool_odbc_dir}/${odbcpool_driver_file}")
if(EXISTS "${staged_odbc_dir}/${setup_file}")
  set(ODBCPOOL_SETUP_LINE "Setup       = ${odbcpool_odbc_dir}/${setup_file}")
else()
  set(ODBCPOOL_SETUP_LINE "")
endif()
configure_file("${odbcpool_template_in}" "${odbcpool_work_dir}/odbcinst.ini.template" @ONLY)
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${odbcpool_share_dir}"
     TYPE FILE FILES "${odbcpool_work_dir}/odbcinst.ini.template")

# The command's manual page, unless tools/ installed one: gzip -n'd (both
# formats compress manual pages; -n keeps the package reproducible).
if(EXISTS "${staged_bindir}/odbcpool" AND NOT EXISTS "${staged_mandir}/man1/odbcpool.1.gz")
  if(EXISTS "${odbcpool_manual_source}")
    execute_process(COMMAND "${odbcpool_gzip}" -9nc "${odbcpool_manual_source}"
                    OUTPUT_FILE "${odbcpool_work_dir}/odbcpool.1.gz"
                    COMMAND_ERROR_IS_FATAL ANY)
    file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${odbcpool_mandir}/man1"
         TYPE FILE FILES "${odbcpool_work_dir}/odbcpool.1.gz")
  elseif(odbcpool_format STREQUAL "DEB")
    file(WRITE "${odbcpool_work_dir}/lintian-overrides"
      "# The command documents itself (odbcpool --help) until its interface\n"
      "# settles; this package installs its manual page as soon as the source\n"
      "# tree has one (${odbcpool_manual_source}).\n"
      "odbcpool: no-manual-page [usr/bin/odbcpool]\n")
    file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/share/lintian/overrides"
         TYPE FILE FILES "${odbcpool_work_dir}/lintian-overrides" RENAME odbcpool)
  endif()
endif()
