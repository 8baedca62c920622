// Tensor lifetime, creation from host memory, copy-out and metadata.
#include "shim.h"
#include <sstream>

namespace {
thread_local std::string t_text;

at::Device make_device(int type, int index) {
  return at::Device(static_cast<c10::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}
}  // namespace

MLR_EXPORT void mlr_tensor_free(TensorH t) { delete t; }

// Creates a tensor of the given dtype and shape holding a copy of `data` (laid out contiguously).
MLR_EXPORT TensorH mlr_tensor_from_data(const void* data, const int64_t* shape, int ndim, int dtype,
                                        int device_type, int device_index, int requires_grad) {
  MLR_TRY
  if (ndim < 0) throw std::invalid_argument("tensor: negative number of dimensions");
  std::vector<int64_t> sizes(shape, shape + ndim);
  for (auto s : sizes)
    if (s < 0) throw std::invalid_argument("tensor: negative dimension in shape");
  auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
  at::Tensor t = at::empty(sizes, options);
  if (t.numel() > 0) {
    if (data == nullptr) throw std::invalid_argument("tensor: null data pointer");
    std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
  }
  auto device = make_device(device_type, device_index);
  if (device.type() != at::kCPU) t = t.to(device);
  if (requires_grad) t.set_requires_grad(true);
  return mlr::wrap(t);
  MLR_CATCH(nullptr)
}

// Copies the values of `t` (any device, any strides) as contiguous host memory into dst.
MLR_EXPORT int mlr_tensor_copy_data(TensorH t, void* dst, int64_t nbytes) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  at::Tensor c = t->detach();
  if (c.device().type() != at::kCPU) c = c.to(at::kCPU);
  c = c.contiguous();
  int64_t need = c.numel() * c.element_size();
  if (nbytes != need)
    throw std::invalid_argument("copy_data: destination holds " + std::to_string(nbytes) +
                                " bytes but the tensor has " + std::to_string(need));
  if (need > 0) std::memcpy(dst, c.data_ptr(), need);
  return 0;
  MLR_CATCH(-1)
}

// Copies contiguous host memory into an existing tensor (same number of bytes), in place.
MLR_EXPORT int mlr_tensor_copy_from(TensorH t, const void* src, int64_t nbytes) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  int64_t need = t->numel() * t->element_size();
  if (nbytes != need)
    throw std::invalid_argument("copy_from: source holds " + std::to_string(nbytes) +
                                " bytes but the tensor has " + std::to_string(need));
  at::Tensor host = at::empty(t->sizes(), t->options().device(at::kCPU).requires_grad(false));
  if (need > 0) std::memcpy(host.data_ptr(), src, need);
  at::NoGradGuard guard;
  t->copy_(host);
  return 0;
  MLR_CATCH(-1)
}

MLR_EXPORT int mlr_tensor_ndim(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return static_cast<int>(t->dim());
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_shape(TensorH t, int64_t* out, int cap) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  int n = static_cast<int>(t->dim());
  if (n > cap) throw std::invalid_argument("shape: buffer too small");
  for (int i = 0; i < n; ++i) out[i] = t->size(i);
  return n;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_strides(TensorH t, int64_t* out, int cap) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  int n = static_cast<int>(t->dim());
  if (n > cap) throw std::invalid_argument("strides: buffer too small");
  for (int i = 0; i < n; ++i) out[i] = t->stride(i);
  return n;
  MLR_CATCH(-1)
}
MLR_EXPORT int64_t mlr_tensor_numel(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return t->numel();
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_dtype(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return static_cast<int>(t->scalar_type());
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_device(TensorH t, int* type, int* index) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  *type = static_cast<int>(t->device().type());
  *index = static_cast<int>(t->device().index());
  return 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_is_contiguous(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return t->is_contiguous() ? 1 : 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_requires_grad(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return t->requires_grad() ? 1 : 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_set_requires_grad(TensorH t, int value) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  t->set_requires_grad(value != 0);
  return 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_is_leaf(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return t->is_leaf() ? 1 : 0;
  MLR_CATCH(-1)
}
MLR_EXPORT int mlr_tensor_retain_grad(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  t->retain_grad();
  return 0;
  MLR_CATCH(-1)
}
// Returns the gradient, or null with no error when there is none.
MLR_EXPORT TensorH mlr_tensor_grad(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return mlr::wrap(t->grad());
  MLR_CATCH(nullptr)
}
MLR_EXPORT int mlr_tensor_set_grad(TensorH t, TensorH grad) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  t->mutable_grad() = grad ? *grad : at::Tensor();
  return 0;
  MLR_CATCH(-1)
}
// A new handle to the same tensor (shares storage and autograd identity).
MLR_EXPORT TensorH mlr_tensor_alias(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  return new torch::Tensor(*t);
  MLR_CATCH(nullptr)
}
MLR_EXPORT int mlr_tensor_is_same(TensorH a, TensorH b) {
  MLR_TRY
  MLR_CHECK_HANDLE(a)
  MLR_CHECK_HANDLE(b)
  return a->is_same(*b) ? 1 : 0;
  MLR_CATCH(-1)
}
// Reads a one-element tensor. kind: 0 floating point (into d), 1 integral or bool (into l).
MLR_EXPORT int mlr_tensor_item(TensorH t, double* d, int64_t* l) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  at::Scalar s = t->item();
  if (s.isFloatingPoint()) {
    *d = s.toDouble();
    return 0;
  }
  if (s.isBoolean()) {
    *l = s.toBool() ? 1 : 0;
    return 1;
  }
  if (s.isIntegral(false)) {
    *l = s.toLong();
    return 1;
  }
  throw std::invalid_argument("item: complex values are not supported");
  MLR_CATCH(-1)
}
MLR_EXPORT const char* mlr_tensor_to_string(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  std::ostringstream os;
  os << *t;
  t_text = os.str();
  return t_text.c_str();
  MLR_CATCH(nullptr)
}
// Raw pointer to the first element of a CPU tensor, for zero-copy reads of contiguous tensors.
MLR_EXPORT void* mlr_tensor_data_ptr(TensorH t) {
  MLR_TRY
  MLR_CHECK_HANDLE(t)
  if (t->device().type() != at::kCPU) throw std::invalid_argument("data_ptr: tensor is not on the CPU");
  return t->data_ptr();
  MLR_CATCH(nullptr)
}
