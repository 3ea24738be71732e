/**
 * Where things are kept.
 * - DynamoDB: the single table (invoices, timelines, email claims, links, API keys; layout in
 *   `shared/adapters/dynamodb-table.ts`). On-demand billing, point-in-time recovery, AWS-managed encryption, TTL.
 * - S3: the documents (every customer email as sent; letters and evidence bundles next), under Object Lock in
 *   governance mode for the retention the deployment sets (10 years by default, the commercial records period of Code
 *   de commerce L123-22), versioned, encrypted, private, moved to cheaper storage as it ages; its access logs go to a
 *   bucket of their own (a bucket under Object Lock cannot receive them).
 * Both are kept when the stack is deleted: they hold the evidence of every reminder sent.
 */
import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { HandlerFunction } from './handler-function';
import { GSI1_NAME, GSI1_PK, GSI1_SK, GSI2_NAME, GSI2_PK, GSI2_PROJECTED, GSI2_SK, PK, SK, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb-table';

/**
 * The table's grants name the one index instead of `<table>/index/*` (what `grantReadWriteData` writes), so no
 * wildcard needs explaining. No stream actions: only the events-out mapping reads the stream, and grants itself that.
 */
const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export interface DataProps {
  /** Years a document stays locked against deletion and overwriting (governance mode). */
  documentRetentionYears: number;
}

export class DataConstruct extends Construct {
  readonly table: dynamodb.Table;
  readonly documents: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      partitionKey: { name: PK, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SK, type: dynamodb.AttributeType.STRING },
      // Link use counters expire; invoice records and timelines never carry the attribute.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Events out: new timeline entries reach the publish-events handler through the stream (constructs/events.ts).
      // New images only: an entry is written once and the event needs what was written, never the old item.
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    // Operator queues: invoices by status, then by next action time.
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1_NAME,
      partitionKey: { name: GSI1_PK, type: dynamodb.AttributeType.STRING },
      sortKey: { name: GSI1_SK, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    // A customer's open invoices, by due date: its statement and its grouped emails (sparse: closed invoices leave it).
    this.table.addGlobalSecondaryIndex({
      indexName: GSI2_NAME,
      partitionKey: { name: GSI2_PK, type: dynamodb.AttributeType.STRING },
      sortKey: { name: GSI2_SK, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: GSI2_PROJECTED,
    });

    const accessLogs = new s3.Bucket(this, 'DocumentsAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the documents bucket\'s access logs; logging its own access would log the logging.',
    });
    this.documents = new s3.Bucket(this, 'Documents', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(Duration.days(365 * props.documentRetentionYears)),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Read mostly at hand-off, a few months in: cheaper storage as documents age, retrieval still in milliseconds.
      lifecycleRules: [
        {
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
          ],
          noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) }],
        },
      ],
    });
  }

  /** Write the copies of the emails about an invoice as they leave (`invoices/<id>/emails/...`), nothing else. */
  grantWriteEmailCopies(grantee: HandlerFunction): void {
    this.grantPutUnder(grantee, 'emails', 'email copies');
  }

  /** Write the formal notice's letters (`invoices/<id>/letters/...`), nothing else. */
  grantWriteLetters(grantee: HandlerFunction): void {
    this.grantPutUnder(grantee, 'letters', 'formal-notice letters');
  }

  /**
   * Put together evidence bundles: read every document of an invoice (emails, letters, supporting documents) and
   * write the bundle (`invoices/<id>/evidence/...`). No delete, no listing.
   */
  grantEvidenceBundles(grantee: HandlerFunction): void {
    grantee.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.documents.arnForObjects('invoices/*')] }));
    Validations.of(grantee.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.documents.node.defaultChild as CfnElement)}.Arn>/invoices/*]`,
      reason: 'An evidence bundle holds every document of its invoice, under a folder named at run time: read only, no listing, no other prefix.',
    });
    this.grantPutUnder(grantee, 'evidence', 'evidence bundles');
  }

  /** Write supporting documents (`invoices/<id>/documents/...`), nothing else. */
  grantWriteSupportingDocuments(grantee: HandlerFunction): void {
    this.grantPutUnder(grantee, 'documents', 'supporting documents');
  }

  private grantPutUnder(grantee: HandlerFunction, folder: string, what: string): void {
    grantee.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.documents.arnForObjects(`invoices/*/${folder}/*`)] }));
    Validations.of(grantee.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.documents.node.defaultChild as CfnElement)}.Arn>/invoices/*/${folder}/*]`,
      reason: `One folder per invoice, named at run time: the grant writes ${what} only (no read, no delete, no other folder).`,
    });
  }

  /** Read the table and its index. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantTable(grantee, READ_ACTIONS);
  }

  /** Read and write the table and read its index. */
  grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grantTable(grantee, [...READ_ACTIONS, ...WRITE_ACTIONS]);
  }

  private grantTable(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${GSI1_NAME}`, `${this.table.tableArn}/index/${GSI2_NAME}`],
    });
  }
}
