// Shared declarations of the C ABI shim. Every export catches every C++ exception and stores its
// message in a thread-local error that the C# side reads (mlr_last_error) and turns into a managed
// exception, so no C++ exception ever crosses into .NET.
#pragma once
#include <torch/torch.h>
#include <cstdint>
#include <string>

#define MLR_EXPORT extern "C" __attribute__((visibility("default")))

typedef torch::Tensor* TensorH;

namespace mlr {
void set_error(const char* message);
void clear_error();
inline TensorH wrap(at::Tensor t) {
  if (!t.defined()) return nullptr;
  return new torch::Tensor(std::move(t));
}
}  // namespace mlr

#define MLR_TRY \
  try {         \
    mlr::clear_error();
#define MLR_CATCH(onError)                                 \
  }                                                        \
  catch (const c10::Error& e) {                            \
    mlr::set_error(e.what_without_backtrace());            \
    return onError;                                        \
  }                                                        \
  catch (const std::exception& e) {                        \
    mlr::set_error(e.what());                              \
    return onError;                                        \
  }                                                        \
  catch (...) {                                            \
    mlr::set_error("unknown native error in libtorch");    \
    return onError;                                        \
  }

#define MLR_CHECK_HANDLE(h) \
  if ((h) == nullptr) throw std::invalid_argument("null tensor handle passed to " + std::string(__func__));
