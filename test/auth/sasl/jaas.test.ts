// Kafka's JAAS config property syntax (JaasConfigTest's cases) and the broker's lookup of a
// listener's mechanism entry (JaasContext.loadServerContext).

import { parseJaasConfig, serverJaasEntry } from '../../../src/auth/sasl/jaas';

const options = (text: string) => Object.fromEntries(parseJaasConfig(text)[0].options);

describe('parseJaasConfig', () => {
  test.each(['required', 'REQUIRED', 'Requisite', 'sufficient', 'optional'])('control flag %s', (flag) => {
    const [entry] = parseJaasConfig(`test.LoginModule ${flag};`);
    expect(entry).toEqual({ loginModule: 'test.LoginModule', controlFlag: flag.toUpperCase(), options: new Map() });
  });

  test('options, quoted or not, with numbers and punctuation', () => {
    expect(options('test.LoginModule required option1=value1 option2="value2" option3=\'value3\' num=3 path="/a/b;c=d";')).toEqual({
      option1: 'value1',
      option2: 'value2',
      option3: 'value3',
      num: '3',
      path: '/a/b;c=d',
    });
  });

  test('quoted option names and values with spaces and escapes', () => {
    expect(options('test.LoginModule required "option 1"="value 1" b="a\\"q\\\\\\n\\101";')).toEqual({ 'option 1': 'value 1', b: 'a"q\\\nA' });
  });

  test('whitespace, line breaks and comments anywhere', () => {
    const text = '\n  test.LoginModule /* a comment */ required\n  a=1 // to the end of the line\n  b="2"\n;';
    expect(options(text)).toEqual({ a: '1', b: '2' });
  });

  test('several login modules', () => {
    const entries = parseJaasConfig('test.Module1 required a=1; test.Module2 optional b="2";');
    expect(entries.map((e) => [e.loginModule, e.controlFlag, Object.fromEntries(e.options)])).toEqual([
      ['test.Module1', 'REQUIRED', { a: '1' }],
      ['test.Module2', 'OPTIONAL', { b: '2' }],
    ]);
  });

  test.each([
    ['', 'Login module not specified in JAAS config'],
    ['  /* nothing */ ', 'Login module not specified in JAAS config'],
    ['test.LoginModule', 'Login module control flag not specified in JAAS config'],
    ['test.LoginModule ;', 'Login module control flag is not available in the JAAS config'],
    ['test.LoginModule invalid-flag;', "Invalid login module control flag 'invalid-flag' in JAAS config"],
    ['test.LoginModule required option1;', "Value not specified for key 'option1' in JAAS config"],
    ['test.LoginModule required option1=;', "Value not specified for key 'option1' in JAAS config"],
    ['test.LoginModule required option1 value1;', "Value not specified for key 'option1' in JAAS config"],
    ['test.LoginModule required option1=value1', 'JAAS config entry not terminated by semi-colon'],
    ['test.LoginModule required', 'JAAS config entry not terminated by semi-colon'],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseJaasConfig(text)).toThrow(message);
  });
});

describe('serverJaasEntry', () => {
  const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="pw";';

  test('reads listener.name.<listener>.<mechanism>.sasl.jaas.config', () => {
    const props = new Map([['listener.name.sasl_plaintext.plain.sasl.jaas.config', PLAIN]]);
    const entry = serverJaasEntry(props, 'SASL_PLAINTEXT', 'PLAIN', () => undefined);
    expect(entry.options.get('user_alice')).toBe('pw');
  });

  test('an unprefixed sasl.jaas.config is ignored with a warning, and the missing entry names the key', () => {
    const warnings: string[] = [];
    const props = new Map([['listener.name.external.sasl.jaas.config', PLAIN]]);
    expect(() => serverJaasEntry(props, 'EXTERNAL', 'SCRAM-SHA-256', (l) => warnings.push(l))).toThrow(
      "Could not find a 'KafkaServer' or 'external.KafkaServer' entry in the JAAS configuration for SASL mechanism SCRAM-SHA-256 on listener EXTERNAL: set listener.name.external.scram-sha-256.sasl.jaas.config",
    );
    expect(warnings).toEqual(['Server config sasl.jaas.config should be prefixed with SASL mechanism name, ignoring config']);
  });

  test('errors name the key and never echo the value', () => {
    const key = 'listener.name.sasl_plaintext.plain.sasl.jaas.config';
    const secret = 'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="s3cret"';
    expect(() => serverJaasEntry(new Map([[key, secret]]), 'SASL_PLAINTEXT', 'PLAIN', () => undefined)).toThrow(
      `Invalid value for configuration ${key}: JAAS config entry not terminated by semi-colon`,
    );
    expect(() => serverJaasEntry(new Map([[key, secret]]), 'SASL_PLAINTEXT', 'PLAIN', () => undefined)).not.toThrow(/s3cret/);
  });

  test('exactly one login module, and none that Kafka disallows', () => {
    const key = 'listener.name.l.plain.sasl.jaas.config';
    expect(() => serverJaasEntry(new Map([[key, `${PLAIN} other.Module required;`]]), 'L', 'PLAIN', () => undefined)).toThrow(
      'JAAS config property contains 2 login modules, should be 1 module',
    );
    expect(() => serverJaasEntry(new Map([[key, 'com.sun.security.auth.module.JndiLoginModule required;']]), 'L', 'PLAIN', () => undefined)).toThrow(
      "com.sun.security.auth.module.JndiLoginModule is not allowed. Update System property 'org.apache.kafka.disallowed.login.modules' to allow com.sun.security.auth.module.JndiLoginModule",
    );
  });
});
