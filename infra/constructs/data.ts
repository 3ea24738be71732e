/**
 * DynamoDB: the single table (invoices, timelines, email claims, links, API keys; layout in
 * `shared/adapters/dynamodb-table.ts`).
 *
 * On-demand billing, point-in-time recovery, AWS-managed encryption, TTL, kept when the stack is deleted (it holds
 * the evidence of every reminder sent).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GSI1_NAME, GSI1_PK, GSI1_SK, PK, SK, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb-table';

/**
 * The table's grants name the one index instead of `<table>/index/*` (what `grantReadWriteData` writes), so no
 * wildcard needs explaining. No stream actions: the table has no stream.
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

export class DataConstruct extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
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
    });
    // Operator queues: invoices by status, then by next action time.
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1_NAME,
      partitionKey: { name: GSI1_PK, type: dynamodb.AttributeType.STRING },
      sortKey: { name: GSI1_SK, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
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
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${GSI1_NAME}`],
    });
  }
}
