import { addressRefusal, classifyAddress } from './address-policy';

describe(classifyAddress.name, () => {
  it.each([
    ['8.8.8.8', 'public'], ['1.1.1.1', 'public'], ['172.15.255.255', 'public'], ['172.32.0.1', 'public'], ['100.63.255.255', 'public'],
    ['100.128.0.1', 'public'], ['192.169.0.1', 'public'], ['11.0.0.1', 'public'],
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'], ['100.127.255.255', 'private'], ['198.18.0.1', 'private'],
    ['169.254.169.254', 'metadata'], ['169.254.170.2', 'metadata'], ['100.100.100.200', 'metadata'],
    ['169.254.1.1', 'linkLocal'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'], ['240.0.0.1', 'reserved'], ['192.0.2.1', 'reserved'],
  ])('IPv4 %s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each([
    ['2606:4700:4700::1111', 'public'], ['2001:4860:4860::8888', 'public'], ['[2a00:1450:4007:80c::200e]', 'public'],
    ['::1', 'loopback'], ['[::1]', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'], ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
    ['::', 'unspecified'], ['[::]', 'unspecified'], ['0:0:0:0:0:0:0:0', 'unspecified'],
    ['fc00::1', 'private'], ['fd12:3456:789a::1', 'private'], ['FDFF::1', 'private'], ['fec0::1', 'private'],
    ['fd00:ec2::254', 'metadata'], ['[fd00:ec2:0:0:0:0:0:254]', 'metadata'],
    ['fe80::1', 'linkLocal'], ['fe80::1%eth0', 'linkLocal'], ['febf::1', 'linkLocal'],
    ['ff02::1', 'reserved'], ['2001:db8::1', 'reserved'], ['2001:0:4136:e378::1', 'reserved'], ['100::1', 'reserved'],
    // IPv4 inside IPv6: what the embedded address reaches.
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['[::ffff:7f00:0001]', 'loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'], ['::ffff:10.0.0.1', 'private'], ['::ffff:a00:1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'], ['::ffff:a9fe:a9fe', 'metadata'], ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:8.8.8.8', 'public'], ['::127.0.0.1', 'loopback'], ['::a9fe:a9fe', 'metadata'],
    ['::ffff:0:127.0.0.1', 'loopback'], ['64:ff9b::127.0.0.1', 'loopback'], ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::808:808', 'public'], ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'], ['2002:a9fe:a9fe::1', 'metadata'], ['2002:c0a8:101::1', 'private'], ['2002:808:808::1', 'public'],
  ])('IPv6 %s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each(['localhost', 'example.com', '127.1', '256.0.0.1', '1.2.3', '::g', '1:2:3:4:5:6:7:8:9', ''])('"%s" is not an IP address', (text) => {
    expect(classifyAddress(text)).toBeNull();
  });
});

describe(addressRefusal.name, () => {
  it('lets public addresses through, whatever the flag', () => {
    expect(addressRefusal('8.8.8.8', { allowPrivate: false })).toBeNull();
    expect(addressRefusal('2606:4700:4700::1111', { allowPrivate: true })).toBeNull();
  });

  it('refuses loopback and private addresses unless allowed', () => {
    for (const a of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '100.64.1.1', 'fd12::1', '::ffff:192.168.0.1']) {
      expect(addressRefusal(a, { allowPrivate: false })).toMatch(/loopback|private/);
      expect(addressRefusal(a, { allowPrivate: true })).toBeNull();
    }
  });

  it('always refuses link-local, metadata, unspecified and reserved addresses', () => {
    for (const a of ['169.254.169.254', 'fd00:ec2::254', '169.254.0.1', 'fe80::1', '0.0.0.0', '::', '::ffff:169.254.169.254', '224.0.0.1']) {
      expect(addressRefusal(a, { allowPrivate: true })).not.toBeNull();
      expect(addressRefusal(a, { allowPrivate: false })).not.toBeNull();
    }
    expect(addressRefusal('169.254.169.254', { allowPrivate: true })).toBe('169.254.169.254 is a cloud metadata address');
  });
});
