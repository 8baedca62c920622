// Generic bridge to every ATen operator through the c10 dispatcher. The C# side looks an operator
// up once by schema name and overload (mlr_op_find), then calls it with a flat array of tagged
// arguments (mlr_op_call). Missing trailing arguments and arguments tagged DEFAULT take the
// schema's default values, as in Python. Autograd, devices and dtypes behave exactly as in
// PyTorch because the call goes through the same dispatcher.
#include "shim.h"
#include <ATen/core/dispatch/Dispatcher.h>

namespace {

enum ArgKind : int32_t {
  kNone = 0,
  kTensor = 1,
  kInt = 2,
  kDouble = 3,
  kBool = 4,
  kIntList = 5,
  kTensorList = 6,
  kDevice = 7,
  kString = 8,
  kDoubleList = 9,
  kOptionalTensorList = 10,
  kBoolList = 11,
  kDefault = 12,
};

struct MlrArg {
  int32_t kind;
  int32_t len;
  int64_t i;
  double d;
  void* p;
};

thread_local std::string t_schema_text;

c10::IValue to_ivalue(const MlrArg& a, const c10::Argument& formal) {
  switch (a.kind) {
    case kNone:
      return c10::IValue();
    case kTensor:
      if (a.p == nullptr) return c10::IValue();
      return c10::IValue(*static_cast<TensorH>(a.p));
    case kInt:
      // A float parameter given an integer literal: convert like Python does.
      if (formal.type()->kind() == c10::TypeKind::FloatType) return c10::IValue(static_cast<double>(a.i));
      return c10::IValue(a.i);
    case kDouble:
      return c10::IValue(a.d);
    case kBool:
      return c10::IValue(a.i != 0);
    case kIntList: {
      auto* v = static_cast<const int64_t*>(a.p);
      return c10::IValue(c10::List<int64_t>(std::vector<int64_t>(v, v + a.len)));
    }
    case kDoubleList: {
      auto* v = static_cast<const double*>(a.p);
      return c10::IValue(c10::List<double>(std::vector<double>(v, v + a.len)));
    }
    case kBoolList: {
      auto* v = static_cast<const uint8_t*>(a.p);
      c10::List<bool> l;
      for (int k = 0; k < a.len; ++k) l.push_back(v[k] != 0);
      return c10::IValue(l);
    }
    case kTensorList: {
      auto* v = static_cast<TensorH*>(a.p);
      c10::List<at::Tensor> l;
      l.reserve(a.len);
      for (int k = 0; k < a.len; ++k) {
        if (v[k] == nullptr) throw std::invalid_argument("argument '" + formal.name() + "': null tensor in list");
        l.push_back(*v[k]);
      }
      return c10::IValue(l);
    }
    case kOptionalTensorList: {
      auto* v = static_cast<TensorH*>(a.p);
      c10::List<c10::optional<at::Tensor>> l;
      l.reserve(a.len);
      for (int k = 0; k < a.len; ++k) {
        if (v[k] == nullptr)
          l.push_back(c10::nullopt);
        else
          l.push_back(c10::optional<at::Tensor>(*v[k]));
      }
      return c10::IValue(l);
    }
    case kDevice:
      return c10::IValue(at::Device(static_cast<c10::DeviceType>(a.i), static_cast<c10::DeviceIndex>(a.len)));
    case kString:
      return c10::IValue(std::string(static_cast<const char*>(a.p)));
    default:
      throw std::invalid_argument("argument '" + formal.name() + "': unknown argument kind " + std::to_string(a.kind));
  }
}

int push_output(const c10::IValue& v, MlrArg* outs, int count, int cap) {
  auto need = [&](int n) {
    if (count + n > cap) throw std::invalid_argument("operator returned more values than the output buffer holds");
  };
  if (v.isTensor()) {
    need(1);
    const at::Tensor& t = v.toTensor();
    outs[count] = MlrArg{t.defined() ? kTensor : kNone, 0, 0, 0.0, t.defined() ? new torch::Tensor(t) : nullptr};
    return count + 1;
  }
  if (v.isTensorList()) {
    auto l = v.toTensorList();
    for (size_t k = 0; k < l.size(); ++k) count = push_output(c10::IValue(l.get(k)), outs, count, cap);
    return count;
  }
  if (v.isTuple()) {
    for (const auto& e : v.toTupleRef().elements()) count = push_output(e, outs, count, cap);
    return count;
  }
  need(1);
  if (v.isNone()) {
    outs[count] = MlrArg{kNone, 0, 0, 0.0, nullptr};
  } else if (v.isInt()) {
    outs[count] = MlrArg{kInt, 0, v.toInt(), 0.0, nullptr};
  } else if (v.isDouble()) {
    outs[count] = MlrArg{kDouble, 0, 0, v.toDouble(), nullptr};
  } else if (v.isBool()) {
    outs[count] = MlrArg{kBool, 0, v.toBool() ? 1 : 0, 0.0, nullptr};
  } else {
    throw std::invalid_argument(std::string("unsupported operator result type ") + v.tagKind());
  }
  return count + 1;
}

}  // namespace

// Looks up an operator, e.g. ("aten::add", "Tensor"). Returns an opaque handle or null on error.
MLR_EXPORT void* mlr_op_find(const char* name, const char* overload) {
  MLR_TRY
  auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload ? overload : "");
  return new c10::OperatorHandle(handle);
  MLR_CATCH(nullptr)
}

MLR_EXPORT const char* mlr_op_schema(void* op) {
  MLR_TRY
  if (!op) throw std::invalid_argument("null operator handle");
  std::ostringstream os;
  os << static_cast<c10::OperatorHandle*>(op)->schema();
  t_schema_text = os.str();
  return t_schema_text.c_str();
  MLR_CATCH(nullptr)
}

// Calls an operator. Returns the number of results written to outs, or -1 on error.
MLR_EXPORT int mlr_op_call(void* op, const MlrArg* args, int nargs, MlrArg* outs, int outcap) {
  MLR_TRY
  if (!op) throw std::invalid_argument("null operator handle");
  auto& handle = *static_cast<c10::OperatorHandle*>(op);
  const auto& schema = handle.schema();
  const auto& formals = schema.arguments();
  if (nargs > static_cast<int>(formals.size()))
    throw std::invalid_argument(schema.name() + " takes " + std::to_string(formals.size()) + " arguments but " +
                                std::to_string(nargs) + " were given");
  torch::jit::Stack stack;
  stack.reserve(formals.size());
  for (size_t k = 0; k < formals.size(); ++k) {
    const auto& formal = formals[k];
    if (static_cast<int>(k) < nargs && args[k].kind != kDefault) {
      stack.push_back(to_ivalue(args[k], formal));
    } else if (formal.default_value()) {
      stack.push_back(*formal.default_value());
    } else {
      throw std::invalid_argument(schema.name() + ": missing required argument '" + formal.name() + "'");
    }
  }
  handle.callBoxed(&stack);
  int count = 0;
  for (const auto& v : stack) count = push_output(v, outs, count, outcap);
  return count;
  MLR_CATCH(-1)
}
