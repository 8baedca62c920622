// Gradient mode and the autograd engine entry points.
#include "shim.h"

namespace {
std::vector<at::Tensor> gather(TensorH* hs, int n, bool allowNull) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (hs[i] == nullptr) {
      if (!allowNull) throw std::invalid_argument("null tensor in list");
      v.emplace_back();
    } else {
      v.push_back(*hs[i]);
    }
  }
  return v;
}
}  // namespace

MLR_EXPORT int mlr_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
MLR_EXPORT void mlr_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }

// retain_graph: -1 = default (same as create_graph), 0 = false, 1 = true.
MLR_EXPORT int mlr_backward(TensorH* tensors, int n, TensorH* grads, int ngrads, int retain_graph, int create_graph) {
  MLR_TRY
  auto ts = gather(tensors, n, false);
  std::vector<at::Tensor> gs;
  if (ngrads > 0) gs = gather(grads, ngrads, true);
  c10::optional<bool> retain;
  if (retain_graph >= 0) retain = retain_graph != 0;
  torch::autograd::backward(ts, gs, retain, create_graph != 0);
  return 0;
  MLR_CATCH(-1)
}

// Gradients of outputs with respect to inputs, written to results (null where unused and allowed).
MLR_EXPORT int mlr_autograd_grad(TensorH* outputs, int nout, TensorH* inputs, int nin, TensorH* grad_outputs,
                                 int ngrad_outputs, int retain_graph, int create_graph, int allow_unused,
                                 TensorH* results) {
  MLR_TRY
  auto outs = gather(outputs, nout, false);
  auto ins = gather(inputs, nin, false);
  std::vector<at::Tensor> gouts;
  if (ngrad_outputs > 0) gouts = gather(grad_outputs, ngrad_outputs, true);
  c10::optional<bool> retain;
  if (retain_graph >= 0) retain = retain_graph != 0;
  auto grads = torch::autograd::grad(outs, ins, gouts, retain, create_graph != 0, allow_unused != 0);
  for (int i = 0; i < nin; ++i) results[i] = mlr::wrap(grads[i]);
  return 0;
  MLR_CATCH(-1)
}
