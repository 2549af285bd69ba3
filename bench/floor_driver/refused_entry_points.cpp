// The floor driver's entry points that do nothing but exist. Deliberately
// without the ODBC headers, so that one definition fits every signature:
// each takes no parameters and returns SQL_ERROR (-1). On x86-64 and
// aarch64 the caller owns its arguments, so calling one with any arguments
// is harmless. Nothing in the benchmark's cycle calls them.
#include "entry_points.h"

#define FLOOR_REFUSE(name)  \
  extern "C" short name() { \
    return -1;              \
  }
FLOOR_REFUSED_ENTRY_POINTS(FLOOR_REFUSE)
#undef FLOOR_REFUSE
