//! Expressions: Go's `evalPipeline`, `evalCommand`, field chains, function
//! and method calls, and the argument conversion of `evalArg` and
//! `validateType`.

use std::rc::Rc;

use super::rv::Rv;
use super::{Flow, NodeRef, State};
use crate::template::complex::Complex;
use crate::template::error::FuncError;
use crate::template::funcs::{self, Builtin};
use crate::template::function::{Context, Func, FuncImpl, Method, ParamType};
use crate::template::parse::{
    Arg, ChainNode, CommandNode, FieldNode, IdentifierNode, NumberNode, PipeNode, VariableNode,
};
use crate::template::set::MissingKey;
use crate::template::strconv::quote;
use crate::value::{IntType, Kind, Map, MapType, Object, UintType, Value};

/// Whether a number literal is a hexadecimal integer (not a hex float).
fn is_hex_int(s: &str) -> bool {
    s.len() > 2
        && s.starts_with('0')
        && matches!(s.as_bytes()[1], b'x' | b'X')
        && !s.contains(['p', 'P'])
}

fn is_rune_int(s: &str) -> bool {
    s.starts_with('\'')
}

fn truncate_int(x: i64, t: IntType) -> i64 {
    match t {
        IntType::Int8 => i64::from(x as i8),
        IntType::Int16 => i64::from(x as i16),
        IntType::Int32 => i64::from(x as i32),
        IntType::Int | IntType::Int64 => x,
    }
}

fn truncate_uint(x: u64, t: UintType) -> u64 {
    match t {
        UintType::Uint8 => u64::from(x as u8),
        UintType::Uint16 => u64::from(x as u16),
        UintType::Uint32 => u64::from(x as u32),
        UintType::Uint | UintType::Uint64 | UintType::Uintptr => x,
    }
}

/// `reflect.Value.String()`: the string itself, or `<T Value>`.
fn reflect_value_string(v: &Rv) -> String {
    match v {
        Rv::Invalid => "<invalid Value>".to_string(),
        Rv::Val(v @ (Value::String(_) | Value::ByteString(_))) => {
            v.as_str().unwrap_or_default().to_string()
        }
        other => format!("<{} Value>", other.type_name()),
    }
}

/// The number of arguments a command's word list passes (Go's `len(args)`,
/// where the list includes the command's first word).
fn arg_count(args: Option<&[Arg]>) -> usize {
    args.map_or(0, <[Arg]>::len)
}

/// What a call invokes: a template function, or a method of a value
/// (Go's `evalCall` gets either as a `reflect.Value` of func type).
enum Callee<'f> {
    Func { func: &'f Func, is_builtin: bool },
    Method { receiver: Receiver, method: Method },
}

/// The value whose method is called.
enum Receiver {
    Object(Rc<dyn Object>),
    /// A map of a named map type.
    Map(Map, &'static dyn MapType),
}

impl Callee<'_> {
    /// The fixed parameters and the variadic element type.
    fn signature(&self) -> (&[ParamType], Option<&ParamType>) {
        match self {
            Callee::Func { func, .. } => (&func.params, func.variadic.as_ref()),
            Callee::Method { method, .. } => (&method.params, method.variadic.as_ref()),
        }
    }
}

/// The method `name` of a value's method set, if it has one.
fn method_of(value: &Value, name: &str) -> Option<(Receiver, Method)> {
    match value {
        Value::Object(obj) => {
            let method = obj.method(name)?;
            Some((Receiver::Object(Rc::clone(obj)), method))
        }
        Value::Map(map) => {
            let map_type = map.map_type()?;
            let method = map_type.method(name)?;
            Some((Receiver::Map(map.clone(), map_type), method))
        }
        _ => None,
    }
}

impl<'s> State<'s, '_> {
    /// Go's `evalPipeline`: each command's value is the next one's final
    /// argument; declared variables are pushed (or assigned).
    pub(super) fn eval_pipeline(&mut self, dot: &Rv, pipe: &'s PipeNode) -> Flow<Rv> {
        self.at(NodeRef::Pipe(pipe));
        self.check_stack()?;
        let mut value: Option<Rv> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // A value of interface type is replaced by what it holds.
            value = Some(v.unwrapped());
        }
        let value = value.unwrap_or(Rv::Invalid);
        for variable in &pipe.decl {
            let name: &'s str = variable.ident.first().map_or("", String::as_str);
            if pipe.is_assign {
                self.set_var(name, value.clone())?;
            } else {
                self.vars.push((name, value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: Option<&'s [Arg]>, final_: &Option<Rv>) -> Flow<()> {
        if arg_count(args) > 1 || final_.is_some() {
            let first = args
                .and_then(<[Arg]>::first)
                .map(Arg::to_string)
                .unwrap_or_default();
            return Err(fail!(self, "can't give argument to non-function {first}"));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Rv, cmd: &'s CommandNode, final_: Option<Rv>) -> Flow<Rv> {
        self.step()?;
        let args: &'s [Arg] = &cmd.args;
        let Some(first) = args.first() else {
            return Err(self.errorf("empty command"));
        };
        match first {
            Arg::Field(field) => {
                return self.eval_field_node(dot, first, field, Some(args), final_)
            }
            Arg::Chain(chain) => {
                return self.eval_chain_node(dot, first, chain, Some(args), final_)
            }
            Arg::Identifier(id) => {
                return self.eval_function(
                    dot,
                    first,
                    id,
                    NodeRef::Command(cmd),
                    Some(args),
                    final_,
                )
            }
            Arg::Pipe(pipe) => {
                // Parenthesized: its arguments are inside; no final value allowed.
                self.not_a_function(Some(args), &final_)?;
                return self.eval_pipeline(dot, pipe);
            }
            Arg::Variable(var) => {
                return self.eval_variable_node(dot, first, var, Some(args), final_)
            }
            _ => {}
        }
        self.at(NodeRef::Arg(first));
        self.not_a_function(Some(args), &final_)?;
        match first {
            Arg::Bool(b) => Ok(Rv::Val(Value::Bool(b.value))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => Err(self.errorf("nil is not a command")),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String(s) => Ok(Rv::Val(Value::from(s.text.as_str()))),
            _ => Err(fail!(
                self,
                "can't evaluate command {}",
                quote(&first.to_string())
            )),
        }
    }

    /// Go's `idealConstant`: a number literal's type when nothing asks for
    /// one (int, float64 or complex128 by its syntax).
    fn ideal_constant(&mut self, node: &'s Arg, n: &NumberNode) -> Flow<Rv> {
        self.at(NodeRef::Arg(node));
        let text = &n.text;
        if n.is_complex {
            Ok(Rv::Val(Complex::value(n.complex128.0, n.complex128.1)))
        } else if n.is_float
            && !is_hex_int(text)
            && !is_rune_int(text)
            && text.contains(['.', 'e', 'E', 'p', 'P'])
        {
            Ok(Rv::Val(Value::Float(n.float64)))
        } else if n.is_int {
            Ok(Rv::Val(Value::int(n.int64)))
        } else if n.is_uint {
            Err(fail!(self, "{text} overflows int"))
        } else {
            Ok(Rv::Invalid)
        }
    }

    fn eval_field_node(
        &mut self,
        dot: &Rv,
        node: &'s Arg,
        field: &'s FieldNode,
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        self.at(NodeRef::Arg(node));
        self.eval_field_chain(dot, dot.clone(), node, &field.ident, args, final_)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Rv,
        node: &'s Arg,
        chain: &'s ChainNode,
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        self.at(NodeRef::Arg(node));
        if chain.field.is_empty() {
            return Err(self.errorf("internal error: no fields in evalChainNode"));
        }
        if matches!(*chain.node, Arg::Nil(_)) {
            return Err(fail!(self, "indirection through explicit nil in {chain}"));
        }
        // (pipe).Field1.Field2: evaluate the operand, then the fields.
        let receiver = self.eval_arg(dot, None, &chain.node)?;
        self.eval_field_chain(dot, receiver, node, &chain.field, args, final_)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Rv,
        node: &'s Arg,
        var: &'s VariableNode,
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        self.at(NodeRef::Arg(node));
        let Some(name) = var.ident.first() else {
            return Err(self.errorf("internal error: empty variable"));
        };
        let value = self.var_value(name)?;
        if var.ident.len() == 1 {
            self.not_a_function(args, &final_)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, node, &var.ident[1..], args, final_)
    }

    /// `.X.Y.Z`, possibly followed by arguments for the last element.
    fn eval_field_chain(
        &mut self,
        dot: &Rv,
        receiver: Rv,
        node: &'s Arg,
        ident: &'s [String],
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        let Some((last, init)) = ident.split_last() else {
            return Ok(receiver);
        };
        let mut receiver = receiver;
        for name in init {
            receiver = self.eval_field(dot, name, node, None, None, receiver)?;
        }
        self.eval_field(dot, last, node, args, final_, receiver)
    }

    fn eval_function(
        &mut self,
        dot: &Rv,
        node: &'s Arg,
        id: &'s IdentifierNode,
        call_node: NodeRef<'s>,
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        self.at(NodeRef::Arg(node));
        let name: &'s str = &id.ident;
        let set = self.set;
        let Some((func, is_builtin)) = set.find_func(name) else {
            return Err(fail!(self, "{} is not a defined function", quote(name)));
        };
        let callee = Callee::Func { func, is_builtin };
        self.eval_call(dot, callee, call_node, name, args, final_)
    }

    /// Go's `evalField`: a map key, an object's field, or an object's method.
    fn eval_field(
        &mut self,
        dot: &Rv,
        name: &'s str,
        node: &'s Arg,
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
        receiver: Rv,
    ) -> Flow<Rv> {
        let typ = receiver.type_name();
        let value = match receiver {
            Rv::Invalid => {
                if self.missing_key() == MissingKey::Error {
                    return Err(fail!(self, "nil data; no entry for key {}", quote(name)));
                }
                return Ok(Rv::Invalid);
            }
            Rv::Iface(Value::Nil) => {
                return Err(fail!(self, "nil pointer evaluating {typ}.{name}"));
            }
            Rv::Iface(v) | Rv::Val(v) => v,
        };
        // Methods come before fields and map keys of the same name.
        if let Some((receiver, method)) = method_of(&value, name) {
            let callee = Callee::Method { receiver, method };
            return self.eval_call(dot, callee, NodeRef::Arg(node), name, args, final_);
        }
        let has_args = arg_count(args) > 1 || final_.is_some();
        match &value {
            Value::Map(map) => {
                if has_args {
                    return Err(fail!(self, "{name} is not a method but has arguments"));
                }
                match map.get(name) {
                    Some(v) => return Ok(Rv::elem(v)),
                    None => return self.missing_map_key(name),
                }
            }
            Value::Object(obj) if obj.kind() == Kind::Map => {
                if has_args {
                    return Err(fail!(self, "{name} is not a method but has arguments"));
                }
                let found = obj.field(name).or_else(|| {
                    let entries = obj.map_entries()?;
                    entries.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
                });
                match found {
                    // A named map's elements have a concrete type.
                    Some(Value::Nil) => return Ok(Rv::elem(Value::Nil)),
                    Some(v) => return Ok(Rv::Val(v)),
                    None => return self.missing_map_key(name),
                }
            }
            Value::Object(obj) => {
                if let Some(v) = obj.field(name) {
                    if has_args {
                        return Err(fail!(
                            self,
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok(match v {
                        Value::Nil => Rv::elem(Value::Nil),
                        v => Rv::Val(v),
                    });
                }
            }
            _ => {}
        }
        Err(fail!(self, "can't evaluate field {name} in type {typ}"))
    }

    fn missing_map_key(&self, name: &str) -> Flow<Rv> {
        match self.missing_key() {
            MissingKey::Default => Ok(Rv::Invalid),
            // The zero value of interface{}: a nil interface.
            MissingKey::Zero => Ok(Rv::elem(Value::Nil)),
            MissingKey::Error => Err(fail!(self, "map has no entry for key {}", quote(name))),
        }
    }

    /// Go's `evalCall`: checks the argument count (and, for a method, that
    /// templates can call it), converts the arguments to the parameter
    /// types and makes the call. Only the callee's own error is reported as
    /// `error calling NAME: ...`.
    fn eval_call(
        &mut self,
        dot: &Rv,
        callee: Callee<'s>,
        node: NodeRef<'s>,
        name: &'s str,
        args: Option<&'s [Arg]>,
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        // The first word is the function itself.
        let args: &'s [Arg] = args.map_or(&[], |a| a.get(1..).unwrap_or(&[]));
        let (params, variadic) = callee.signature();
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = if variadic.is_some() {
            if num_in < params.len() {
                return Err(fail!(
                    self,
                    "wrong number of args for {name}: want at least {} got {}",
                    params.len(),
                    args.len()
                ));
            }
            params.len()
        } else {
            if num_in != params.len() {
                return Err(fail!(
                    self,
                    "wrong number of args for {name}: want {} got {num_in}",
                    params.len()
                ));
            }
            args.len()
        };
        if let Callee::Method { method, .. } = &callee {
            if let Err(message) = method.check_results(name) {
                return Err(self.errorf(&message));
            }
        }

        let builtin = match &callee {
            Callee::Func {
                func,
                is_builtin: true,
            } => match &func.imp {
                FuncImpl::Builtin(b) => Some(*b),
                FuncImpl::Native(_) => None,
            },
            _ => None,
        };
        if let Some(b @ (Builtin::And | Builtin::Or)) = builtin {
            let arg_type = params.first().unwrap_or(&ParamType::Value);
            return self.eval_and_or(dot, arg_type, b == Builtin::Or, args, final_);
        }

        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, Some(&params[i]), &args[i])?);
            i += 1;
        }
        if let Some(rest) = variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(rest), &args[i])?);
                i += 1;
            }
        }
        // Only `call` names its callee in an error; other calls skip
        // printing it.
        let callee_text = match (builtin, args.first()) {
            (Some(Builtin::Call), Some(first)) => first.to_string(),
            (Some(Builtin::Call), None) => final_
                .as_ref()
                .map(reflect_value_string)
                .unwrap_or_default(),
            _ => String::new(),
        };
        if let Some(f) = final_ {
            let t = match variadic {
                Some(rest) if num_in > num_fixed => rest,
                _ => &params[num_in - 1],
            };
            argv.push(self.validate_type(f, Some(t))?);
        }

        let result: Result<Rv, FuncError> = match (callee, builtin) {
            (_, Some(Builtin::Call)) => {
                Err(FuncError::Message(call_error(&callee_text, argv.first())))
            }
            (_, Some(b)) => funcs::run(b, argv).map_err(FuncError::Message),
            (Callee::Func { func, .. }, None) => match &func.imp {
                FuncImpl::Native(f) => {
                    let values = argv.into_iter().map(Rv::into_value).collect();
                    let mut ctx = Context {
                        set: self.set,
                        shared: &mut *self.shared,
                        depth: self.depth,
                        template_name: self.name,
                        tree: self.tree,
                        pos: node.pos(),
                    };
                    f(&mut ctx, values).map(Rv::of)
                }
                FuncImpl::Builtin(b) => funcs::run(*b, argv).map_err(FuncError::Message),
            },
            (Callee::Method { receiver, .. }, None) => {
                let values: Vec<Value> = argv.into_iter().map(Rv::into_value).collect();
                let result = match receiver {
                    Receiver::Object(obj) => obj.call_method(name, &values),
                    Receiver::Map(map, map_type) => map_type.call_method(&map, name, &values),
                };
                result.map(Rv::of).map_err(FuncError::Message)
            }
        };
        result.map_err(|e| {
            self.at(node);
            fail!(self, "error calling {name}: {}", e.text())
        })
    }

    /// `and` and `or` evaluate their arguments only until the result is
    /// known, and return the deciding value itself.
    fn eval_and_or(
        &mut self,
        dot: &Rv,
        arg_type: &ParamType,
        is_or: bool,
        args: &'s [Arg],
        final_: Option<Rv>,
    ) -> Flow<Rv> {
        let mut value = Rv::Invalid;
        for arg in args {
            value = self.eval_arg(dot, Some(arg_type), arg)?;
            if value.truth() == is_or {
                return Ok(value);
            }
        }
        if let Some(f) = final_ {
            value = self.validate_type(f, Some(arg_type))?;
        }
        Ok(value)
    }

    /// Go's `validateType`: the value must exist (or the type accept nil)
    /// and be assignable to the parameter type.
    fn validate_type(&self, value: Rv, t: Option<&ParamType>) -> Flow<Rv> {
        let Some(t) = t else {
            return Ok(value);
        };
        match value {
            Rv::Invalid => {
                if !t.can_be_nil() {
                    return Err(fail!(self, "invalid value; expected {t}"));
                }
                Ok(match t {
                    ParamType::Value => Rv::Invalid,
                    _ => Rv::elem(Value::Nil),
                })
            }
            Rv::Iface(v) => {
                if matches!(t, ParamType::Any | ParamType::Value) {
                    return Ok(Rv::Iface(v));
                }
                if v.is_nil() {
                    return Err(fail!(
                        self,
                        "wrong type for value; expected {t}; got interface {{}}"
                    ));
                }
                self.validate_concrete(v, t)
            }
            Rv::Val(v) => self.validate_concrete(v, t),
        }
    }

    fn validate_concrete(&self, v: Value, t: &ParamType) -> Flow<Rv> {
        if t.accepts(&v) {
            Ok(Rv::Val(t.assign(v)))
        } else {
            Err(fail!(
                self,
                "wrong type for value; expected {t}; got {}",
                v.type_name()
            ))
        }
    }

    /// Go's `evalArg`: evaluates an argument for a parameter of type `t`
    /// (`None`: no conversion, as for a chain's operand).
    fn eval_arg(&mut self, dot: &Rv, t: Option<&ParamType>, n: &'s Arg) -> Flow<Rv> {
        self.at(NodeRef::Arg(n));
        let value = match n {
            Arg::Dot(_) => dot.clone(),
            Arg::Nil(_) => {
                return match t {
                    None => Ok(Rv::Invalid),
                    Some(ParamType::Value) => Ok(Rv::Invalid),
                    Some(t) if t.can_be_nil() => Ok(Rv::elem(Value::Nil)),
                    Some(t) => Err(fail!(self, "cannot assign nil to {t}")),
                };
            }
            Arg::Field(field) => {
                self.eval_field_node(dot, n, field, Some(std::slice::from_ref(n)), None)?
            }
            Arg::Variable(var) => self.eval_variable_node(dot, n, var, None, None)?,
            Arg::Pipe(pipe) => self.eval_pipeline(dot, pipe)?,
            Arg::Identifier(id) => self.eval_function(dot, n, id, NodeRef::Arg(n), None, None)?,
            Arg::Chain(chain) => self.eval_chain_node(dot, n, chain, None, None)?,
            Arg::Bool(_) | Arg::Number(_) | Arg::String(_) => {
                return self.eval_literal_arg(dot, t, n)
            }
        };
        self.validate_type(value, t)
    }

    /// A literal argument, converted to the parameter's type as Go's
    /// `evalBool`, `evalString`, `evalInteger`… do.
    fn eval_literal_arg(&mut self, dot: &Rv, t: Option<&ParamType>, n: &'s Arg) -> Flow<Rv> {
        let Some(t) = t else {
            return self.eval_empty_interface(dot, n);
        };
        let value = match (t, n) {
            (ParamType::Bool, Arg::Bool(b)) => Value::Bool(b.value),
            (ParamType::Bool, _) => return Err(fail!(self, "expected bool; found {n}")),
            (ParamType::String, Arg::String(s)) => Value::from(s.text.as_str()),
            (ParamType::String, _) => return Err(fail!(self, "expected string; found {n}")),
            (ParamType::Int(it), Arg::Number(num)) if num.is_int => {
                Value::Int(truncate_int(num.int64, *it), *it)
            }
            (ParamType::NamedInt(named), Arg::Number(num)) if num.is_int => {
                named.value(truncate_int(num.int64, named.int_type))
            }
            (ParamType::Int(_) | ParamType::NamedInt(_), _) => {
                return Err(fail!(self, "expected integer; found {n}"))
            }
            (ParamType::Uint(ut), Arg::Number(num)) if num.is_uint => {
                Value::Uint(truncate_uint(num.uint64, *ut), *ut)
            }
            (ParamType::Uint(_), _) => {
                return Err(fail!(self, "expected unsigned integer; found {n}"))
            }
            (ParamType::Float64, Arg::Number(num)) if num.is_float => Value::Float(num.float64),
            (ParamType::Float32, Arg::Number(num)) if num.is_float => {
                Value::Float32(num.float64 as f32)
            }
            (ParamType::Float64 | ParamType::Float32, _) => {
                return Err(fail!(self, "expected float; found {n}"))
            }
            (ParamType::Any | ParamType::Value, _) => return self.eval_empty_interface(dot, n),
            _ => return Err(fail!(self, "can't handle {n} for arg of type {t}")),
        };
        Ok(Rv::Val(value))
    }

    /// Go's `evalEmptyInterface`: an argument for an `interface{}` parameter.
    fn eval_empty_interface(&mut self, dot: &Rv, n: &'s Arg) -> Flow<Rv> {
        self.at(NodeRef::Arg(n));
        match n {
            Arg::Bool(b) => Ok(Rv::Val(Value::Bool(b.value))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Field(field) => self.eval_field_node(dot, n, field, None, None),
            Arg::Identifier(id) => self.eval_function(dot, n, id, NodeRef::Arg(n), None, None),
            Arg::Nil(_) => Err(self.errorf("evalEmptyInterface: nil (can't happen)")),
            Arg::Number(num) => self.ideal_constant(n, num),
            Arg::String(s) => Ok(Rv::Val(Value::from(s.text.as_str()))),
            Arg::Variable(var) => self.eval_variable_node(dot, n, var, None, None),
            Arg::Pipe(pipe) => self.eval_pipeline(dot, pipe),
            Arg::Chain(_) => Err(fail!(
                self,
                "can't handle assignment of {n} to empty interface argument"
            )),
        }
    }
}

/// Go's `call` builtin: only function values can be called, and the data
/// model has none.
fn call_error(callee: &str, function: Option<&Rv>) -> String {
    match function.and_then(Rv::concrete) {
        None => "call of nil".to_string(),
        Some(v) => format!("non-function {callee} of type {}", v.type_name()),
    }
}
