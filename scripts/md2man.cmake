# Runs md2man.awk for the build (CMakeLists.txt, add_custom_command):
# execute_process writes the page to a file, with no shell redirection.
#   cmake -DAWK=... -DIN=... -DOUT=... -DNAME=... -DSECTION=... -DDESC=...
#         -DSOURCE=... -DMANUAL=... -DSEE=... -P md2man.cmake
set(ENV{LC_ALL} C)
execute_process(
  COMMAND ${AWK} -v name=${NAME} -v section=${SECTION} -v desc=${DESC}
          -v source=${SOURCE} -v manual=${MANUAL} -v see=${SEE}
          -f ${CMAKE_CURRENT_LIST_DIR}/md2man.awk ${IN}
  OUTPUT_FILE ${OUT}.tmp
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "md2man.awk ${IN}: ${rc}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
