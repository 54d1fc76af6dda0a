'use strict';
// Starts s3rver for the AliTryOn.S3 tests (S3rverFixture): node launch.js <data directory> <bucket> [<access key id>...]
// Listens on 127.0.0.1 on a free port and prints "listening <address>:<port>" once it accepts connections. Besides
// s3rver's own S3RVER key, it accepts each access key ID given (s3rver checks that a SigV4 request's key ID is known,
// but not its signature). Exits when its standard input closes, so it never outlives the test run that started it.
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');

const [directory, bucket, ...accessKeyIds] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error('usage: node launch.js <data directory> <bucket> [<access key id>...]');
  process.exit(2);
}

for (const accessKeyId of accessKeyIds) {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, 'unchecked');
}

new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
})
  .run()
  .then(({ address, port }) => console.log(`listening ${address}:${port}`))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
