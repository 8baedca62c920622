// Process-wide settings: version, threads, seeds, CUDA presence.
#include "shim.h"
#include <torch/version.h>

MLR_EXPORT const char* mlr_torch_version() { return TORCH_VERSION; }

MLR_EXPORT int mlr_set_num_threads(int n) {
  MLR_TRY
  if (n < 1) throw std::invalid_argument("set_num_threads: the number of threads must be >= 1, got " + std::to_string(n));
  at::set_num_threads(n);
  return 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_get_num_threads() {
  MLR_TRY
  return at::get_num_threads();
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_manual_seed(uint64_t seed) {
  MLR_TRY
  torch::manual_seed(seed);
  return 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_cuda_is_available() {
  MLR_TRY
  return torch::cuda::is_available() ? 1 : 0;
  MLR_CATCH(0)
}
MLR_EXPORT int mlr_cudnn_is_available() {
  MLR_TRY
  return torch::cuda::cudnn_is_available() ? 1 : 0;
  MLR_CATCH(0)
}
MLR_EXPORT int mlr_cuda_device_count() {
  MLR_TRY
  return static_cast<int>(torch::cuda::device_count());
  MLR_CATCH(0)
}
MLR_EXPORT int mlr_cuda_synchronize(int device) {
  MLR_TRY
  torch::cuda::synchronize(device);
  return 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_set_deterministic(int enabled) {
  MLR_TRY
  at::globalContext().setDeterministicAlgorithms(enabled != 0, false);
  at::globalContext().setDeterministicCuDNN(enabled != 0);
  at::globalContext().setBenchmarkCuDNN(enabled == 0);
  return 0;
  MLR_CATCH(-1)
}
