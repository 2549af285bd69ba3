// Which attributes, information types and fields carry text, so that they
// are converted between ANSI and wide forms (everything else is passed as
// it is: integers, handles, binary).
#pragma once

#include "odbc.h"

namespace odbcpool {

bool is_text_connect_attribute(SQLINTEGER attribute, SQLINTEGER string_length);
bool is_text_info_type(SQLUSMALLINT info_type);
bool is_text_descriptor_field(SQLSMALLINT field);
bool is_text_diag_field(SQLSMALLINT field);

}  // namespace odbcpool
