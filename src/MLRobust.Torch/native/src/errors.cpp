#include "shim.h"

namespace {
thread_local std::string t_error;
thread_local bool t_has_error = false;
}  // namespace

namespace mlr {
void set_error(const char* message) {
  t_error = message ? message : "unknown error";
  t_has_error = true;
}
void clear_error() { t_has_error = false; }
}  // namespace mlr

// Returns the message of the last failed call on this thread, or null when the last call succeeded.
MLR_EXPORT const char* mlr_last_error() { return t_has_error ? t_error.c_str() : nullptr; }
MLR_EXPORT void mlr_clear_error() { mlr::clear_error(); }
