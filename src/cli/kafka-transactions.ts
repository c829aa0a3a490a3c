// kafka-transactions.sh: lists, describes and aborts transactions (see tools/transactions).
import { main } from '../tools/transactions/transactions';

void main();
