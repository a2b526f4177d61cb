package io.virtwise.kvm.inspect;


/** Makes an inspector for the URI a command names (null: the default), so tests can substitute one. */
public interface KvmInspectorFactory {

	KvmInspector forUri(String uri);
}
